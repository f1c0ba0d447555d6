"""The data layer: the only package in qualcode that contains SQL."""

from qualcode.store.db import Database

__all__ = ["Database"]

"""Coding widget for JupyterLab."""

from qualcode.widget.session import CodingSession, Filters
from qualcode.widget.view import CodingWidget

__all__ = ["CodingSession", "CodingWidget", "Filters"]

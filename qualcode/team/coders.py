"""Who is coding: the coder name every new coding carries.

Precedence: an explicit name (``--coder``), then ``QUALCODE_CODER``, then the
user's configuration file, then the login name. The configuration file is
``$QUALCODE_CONFIG`` or ``$XDG_CONFIG_HOME/qualcode/config.ini``
(``~/.config/qualcode/config.ini``)::

    [qualcode]
    coder = anna
"""

from __future__ import annotations

import configparser
import os
from pathlib import Path
from typing import Mapping

from qualcode.errors import InputError


def config_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    if env.get("QUALCODE_CONFIG"):
        return Path(env["QUALCODE_CONFIG"])
    base = Path(env["XDG_CONFIG_HOME"]) if env.get("XDG_CONFIG_HOME") else Path.home() / ".config"
    return base / "qualcode" / "config.ini"


def configured_coder(env: Mapping[str, str] | None = None) -> str | None:
    """The ``coder`` in the configuration file's ``[qualcode]`` section, or ``None``."""
    path = config_path(env)
    if not path.is_file():
        return None
    parser = configparser.ConfigParser()
    try:
        parser.read_string(path.read_text(encoding="utf-8"), source=str(path))
    except configparser.Error as exc:
        line = getattr(exc, "lineno", None)
        raise InputError(path, f"not a valid configuration file ({exc.__class__.__name__})", line=line) from None
    coder = parser.get("qualcode", "coder", fallback="").strip()
    return coder or None


def resolve_coder(explicit: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """The coder name for new codings (see the module docstring for the order)."""
    env = os.environ if env is None else env
    if explicit and explicit.strip():
        return explicit.strip()
    if env.get("QUALCODE_CODER", "").strip():
        return env["QUALCODE_CODER"].strip()
    return configured_coder(env) or env.get("USER") or "coder"

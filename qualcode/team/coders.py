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
from qualcode.i18n import N_, gettext as _


def config_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    if env.get("QUALCODE_CONFIG"):
        return Path(env["QUALCODE_CONFIG"])
    base = Path(env["XDG_CONFIG_HOME"]) if env.get("XDG_CONFIG_HOME") else Path.home() / ".config"
    return base / "qualcode" / "config.ini"


# configparser's errors, by class (its messages are English and name Python's terms).
_CONFIG_PROBLEMS = {
    "MissingSectionHeaderError": N_("the file must start with a section line such as [qualcode]"),
    "DuplicateSectionError": N_("a section appears twice"),
    "DuplicateOptionError": N_("a setting appears twice in its section"),
    "ParsingError": N_("a line is not 'name = value'"),
}


def _config_problem(exc: Exception) -> str:
    message = _CONFIG_PROBLEMS.get(exc.__class__.__name__)
    return _(message) if message else exc.__class__.__name__


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
        raise InputError(path, _("not a valid configuration file ({problem})").format(problem=_config_problem(exc)),
                         line=line) from None
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

"""Keep the message catalogues in step with the code (Babel).

    python tools/i18n.py update    # extract messages from qualcode/ and merge them into every .po
    python tools/i18n.py compile   # .po -> .mo (the package reads the .mo at run time)
    python tools/i18n.py check     # exit 1 if a message has no translation, or a .mo is stale

Message ids are English. After ``update``, translate the new entries in
``qualcode/locale/da/LC_MESSAGES/qualcode.po`` (empty ``msgstr``, or ``#, fuzzy``
ones to review), then ``compile``. ``tests/test_i18n.py`` runs ``check``.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "qualcode"
LOCALE = PACKAGE / "locale"
DOMAIN = "qualcode"
LANGUAGES = ("da",)
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "N_": None,
    "pgettext_noop": ((1, "c"), 2),
}
METHOD = [("**.py", "python")]


def extract() -> Catalog:
    catalog = Catalog(project="qualcode", domain=DOMAIN, charset="utf-8", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE), METHOD, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True
    ):
        catalog.add(message, None, [(f"qualcode/{filename}", lineno)], auto_comments=comments, context=context)
    return catalog


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh)


def _write_po(catalog: Catalog, path: Path, **kw) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    # No line numbers: they change with every edit and make merges conflict; the file name stays.
    write_po(buf, catalog, width=100, include_lineno=False, sort_output=True, **kw)
    path.write_bytes(buf.getvalue())


def update() -> None:
    template = extract()
    for lang in LANGUAGES:
        path = po_path(lang)
        if path.exists():
            catalog = read(path)
        else:
            catalog = Catalog(locale=lang, domain=DOMAIN, project="qualcode", charset="utf-8", fuzzy=False,
                              language_team="qualcode developers", last_translator="qualcode developers")
        # A fixed header date: a date that changes on every run would make every merge conflict.
        template.creation_date = catalog.creation_date
        catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
        # Obsolete entries are dropped: git keeps history, and they only confuse a translator.
        catalog.obsolete.clear()
        _write_po(catalog, path)
        print(f"{path.relative_to(ROOT)}: {len(catalog)} messages, {len(untranslated(catalog))} to translate")


def mo_bytes(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def compile_all() -> None:
    for lang in LANGUAGES:
        path = po_path(lang)
        path.with_suffix(".mo").write_bytes(mo_bytes(read(path)))
        print(f"{path.with_suffix('.mo').relative_to(ROOT)} written")


def untranslated(catalog: Catalog) -> list[str]:
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def problems() -> list[str]:
    """Messages in the code that a catalogue lacks or leaves untranslated, and stale .mo files."""
    template = extract()
    found: list[str] = []
    for lang in LANGUAGES:
        path = po_path(lang)
        if not path.exists():
            return [f"{path}: missing"]
        catalog = read(path)
        for message in template:
            if message.id and catalog.get(message.id, context=message.context) is None:
                ident = message.id if isinstance(message.id, str) else message.id[0]
                where = ", ".join(f"{f}:{n}" for f, n in message.locations)
                found.append(f"{lang}: not in the catalogue ({where}): {ident!r}")
        found += [f"{lang}: untranslated: {m!r}" for m in untranslated(catalog)]
        mo = path.with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != mo_bytes(catalog):
            found.append(f"{mo.relative_to(ROOT)}: stale; run python tools/i18n.py compile")
    return found


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command == "check":
        found = problems()
        for line in found:
            print(line)
        return 1 if found else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Codebook diffs and apply plans as terminal text and as Markdown."""

from __future__ import annotations

from qualcode.codebook.diff import CodebookDiff, FieldChange
from qualcode.codebook.records import ApplyPlan
from qualcode.i18n import choose

FIELD_NAMES = {
    "definition": ("definition", "definition"),
    "include": ("brug når", "include"),
    "exclude": ("brug ikke når", "exclude"),
    "examples": ("eksempler", "examples"),
    "keywords": ("nøgleord", "keywords"),
    "color": ("farve", "colour"),
}
_SHORT = 70  # terminal lines stay readable; Markdown shows full texts


def diff_text(diff: CodebookDiff, lang: str | None = None) -> str:
    """A diff for the terminal: one line per change, grouped by kind."""
    t = lambda da, en: choose(da, en, lang)  # noqa: E731
    lines = [f"{t('Kodebog', 'Codebook')}: {_title(diff.old)} -> {_title(diff.new)}"]
    if diff.is_empty:
        lines.append(t("Ingen forskelle.", "No differences."))
        return "\n".join(lines) + "\n"
    if diff.added:
        lines.append(f"{t('Tilføjet', 'Added')} ({len(diff.added)}):")
        lines += [f"  + {c.id}  {c.name}  ({_under(c.parent_id, lang)})" for c in diff.added]
    if diff.removed:
        lines.append(f"{t('Fjernet', 'Removed')} ({len(diff.removed)}):")
        lines += [f"  - {c.id}  {c.name}" for c in diff.removed]
    if diff.renamed:
        lines.append(f"{t('Omdøbt', 'Renamed')} ({len(diff.renamed)}):")
        lines += [f"  ~ {cid}  '{old}' -> '{new}'" for cid, old, new in diff.renamed]
    if diff.moved:
        lines.append(f"{t('Flyttet', 'Moved')} ({len(diff.moved)}):")
        lines += [f"  > {cid}  {_parent(a, lang)} -> {_parent(b, lang)}" for cid, a, b in diff.moved]
    if diff.changed:
        lines.append(f"{t('Ændret', 'Changed')} ({len(diff.changed_ids())}):")
        for change in diff.changed:
            lines.append(f"  * {change.code_id}  {_field(change.field, lang)}: {_change_summary(change, lang, short=True)}")
    return "\n".join(lines) + "\n"


def diff_markdown(diff: CodebookDiff, lang: str | None = None) -> str:
    """A diff as Markdown: tables for added/removed/renamed/moved codes, a section per changed code."""
    t = lambda da, en: choose(da, en, lang)  # noqa: E731
    out = [f"# {t('Ændringer i kodebogen', 'Codebook changes')}: {_title(diff.old)} → {_title(diff.new)}", ""]
    if diff.is_empty:
        return "\n".join(out + [t("Ingen forskelle.", "No differences."), ""])
    if diff.added:
        out += [f"## {t('Tilføjede koder', 'Added codes')} ({len(diff.added)})", "",
                f"| Id | {t('Navn', 'Name')} | {t('Overordnet kode', 'Parent code')} |", "|---|---|---|"]
        out += [f"| `{c.id}` | {_cell(c.name)} | {_cell(c.parent_id or '–')} |" for c in diff.added]
        out.append("")
    if diff.removed:
        out += [f"## {t('Fjernede koder', 'Removed codes')} ({len(diff.removed)})", "",
                f"| Id | {t('Navn', 'Name')} |", "|---|---|"]
        out += [f"| `{c.id}` | {_cell(c.name)} |" for c in diff.removed]
        out.append("")
    if diff.renamed:
        out += [f"## {t('Omdøbte koder', 'Renamed codes')} ({len(diff.renamed)})", "",
                f"| Id | {t('Før', 'Before')} | {t('Efter', 'After')} |", "|---|---|---|"]
        out += [f"| `{cid}` | {_cell(a)} | {_cell(b)} |" for cid, a, b in diff.renamed]
        out.append("")
    if diff.moved:
        out += [f"## {t('Flyttede koder', 'Moved codes')} ({len(diff.moved)})", "",
                f"| Id | {t('Fra', 'From')} | {t('Til', 'To')} |", "|---|---|---|"]
        out += [f"| `{cid}` | {_cell(a or '–')} | {_cell(b or '–')} |" for cid, a, b in diff.moved]
        out.append("")
    if diff.changed:
        out += [f"## {t('Ændrede definitioner og nøgleord', 'Changed definitions and keywords')} ({len(diff.changed_ids())})", ""]
        for code_id in diff.changed_ids():
            out += [f"### `{code_id}` {diff.new.get(code_id).name}", ""]
            for change in (c for c in diff.changed if c.code_id == code_id):
                out.append(f"- **{_field(change.field, lang).capitalize()}**: {_change_summary(change, lang, short=False, markdown=True)}")
            out.append("")
    return "\n".join(out)


def plan_text(plan: ApplyPlan, lang: str | None = None) -> str:
    """What applying a codebook did, or would do on a dry run."""
    t = lambda da, en: choose(da, en, lang)  # noqa: E731
    if plan.dry_run:
        head = t("Tørkørsel: projektet er ikke ændret. Dette ville ske:", "Dry run: the project is unchanged. This would happen:")
    else:
        head = t(f"Kodebogen er anvendt som version {plan.version_id}.", f"Codebook applied as version {plan.version_id}.")
    lines = [head, diff_text(plan.diff, lang).rstrip("\n")]
    if plan.reactivated:
        lines.append(t("Genaktiveres", "Reactivated") + ": " + ", ".join(plan.reactivated))
    if plan.diff.removed:
        lines.append(t("Koder, der udgår, beholder deres kodninger:", "Codes taken out keep their codings:"))
        lines += [f"  {c.id}: {plan.codings_on_removed.get(c.id, 0)} {t('kodninger', 'codings')}" for c in plan.diff.removed]
    return "\n".join(lines) + "\n"


def _change_summary(change: FieldChange, lang: str | None, *, short: bool, markdown: bool = False) -> str:
    if isinstance(change.old, tuple) or isinstance(change.new, tuple):
        old, new = tuple(change.old or ()), tuple(change.new or ())
        added = [x for x in new if x not in old]
        removed = [x for x in old if x not in new]
        q = (lambda s: f"`{s}`") if markdown and change.field == "keywords" else (lambda s: f"'{s}'")
        parts = []
        if added:
            parts.append(choose("tilføjet", "added", lang) + " " + ", ".join(q(_cut(x, short)) for x in added))
        if removed:
            parts.append(choose("fjernet", "removed", lang) + " " + ", ".join(q(_cut(x, short)) for x in removed))
        return "; ".join(parts) or choose("ny rækkefølge", "new order", lang)
    old, new = change.old or "–", change.new or "–"
    if markdown:
        return f"{choose('før', 'before', lang)}: {_cell(str(old))} · {choose('efter', 'after', lang)}: {_cell(str(new))}"
    return f"'{_cut(str(old), short)}' -> '{_cut(str(new), short)}'"


def _title(codebook) -> str:
    return f"{codebook.name} {codebook.version}".strip() or "–"


def _under(parent_id: str | None, lang: str | None) -> str:
    return choose(f"under {parent_id}", f"under {parent_id}", lang) if parent_id else choose("øverste niveau", "top level", lang)


def _parent(parent_id: str | None, lang: str | None) -> str:
    return parent_id if parent_id else choose("(øverste niveau)", "(top level)", lang)


def _field(name: str, lang: str | None) -> str:
    da, en = FIELD_NAMES[name]
    return choose(da, en, lang)


def _cut(text: str, short: bool) -> str:
    text = " ".join(text.split())
    return text if not short or len(text) <= _SHORT else text[: _SHORT - 1] + "…"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")

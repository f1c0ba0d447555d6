"""Codebook diffs and apply plans as terminal text and as Markdown."""

from __future__ import annotations

from qualcode.codebook.diff import CodebookDiff, FieldChange
from qualcode.codebook.records import ApplyPlan
from qualcode.i18n import gettext, gettext as _, ngettext, pgettext, use_language

# Codebook fields as the diff names them (message ids in the "codebook field" context).
FIELD_NAMES = {
    "definition": lambda lang: pgettext("codebook field", "definition", lang),
    "include": lambda lang: pgettext("codebook field", "include", lang),
    "exclude": lambda lang: pgettext("codebook field", "exclude", lang),
    "examples": lambda lang: pgettext("codebook field", "examples", lang),
    "keywords": lambda lang: pgettext("codebook field", "keywords", lang),
    "color": lambda lang: pgettext("codebook field", "colour", lang),
}
_SHORT = 70  # terminal lines stay readable; Markdown shows full texts


def diff_text(diff: CodebookDiff, lang: str | None = None) -> str:
    """A diff for the terminal: one line per change, grouped by kind."""
    with use_language(lang):
        return _diff_text(diff, lang)


def _diff_text(diff: CodebookDiff, lang: str | None = None) -> str:
    lines = [_("Codebook: {old} -> {new}").format(old=_title(diff.old), new=_title(diff.new))]
    if diff.is_empty:
        lines.append(_("No differences."))
        return "\n".join(lines) + "\n"
    if diff.added:
        lines.append(_("Added ({n}):").format(n=len(diff.added)))
        lines += [f"  + {c.id}  {c.name}  ({_under(c.parent_id, lang)})" for c in diff.added]
    if diff.removed:
        lines.append(_("Removed ({n}):").format(n=len(diff.removed)))
        lines += [f"  - {c.id}  {c.name}" for c in diff.removed]
    if diff.renamed:
        lines.append(_("Renamed ({n}):").format(n=len(diff.renamed)))
        lines += [f"  ~ {cid}  '{old}' -> '{new}'" for cid, old, new in diff.renamed]
    if diff.moved:
        lines.append(_("Moved ({n}):").format(n=len(diff.moved)))
        lines += [f"  > {cid}  {_parent(a, lang)} -> {_parent(b, lang)}" for cid, a, b in diff.moved]
    if diff.changed:
        lines.append(_("Changed ({n}):").format(n=len(diff.changed_ids())))
        for change in diff.changed:
            lines.append(f"  * {change.code_id}  {_field(change.field, lang)}: {_change_summary(change, lang, short=True)}")
    return "\n".join(lines) + "\n"


def diff_markdown(diff: CodebookDiff, lang: str | None = None) -> str:
    """A diff as Markdown: tables for added/removed/renamed/moved codes, a section per changed code."""
    with use_language(lang):
        return _diff_markdown(diff, lang)


def _diff_markdown(diff: CodebookDiff, lang: str | None = None) -> str:
    out = [_("# Codebook changes: {old} → {new}").format(old=_title(diff.old), new=_title(diff.new)), ""]
    if diff.is_empty:
        return "\n".join(out + [_("No differences."), ""])
    if diff.added:
        out += [_("## Added codes ({n})").format(n=len(diff.added)), "",
                "| Id | " + _("Name") + " | " + _("Parent code") + " |", "|---|---|---|"]
        out += [f"| `{c.id}` | {_cell(c.name)} | {_cell(c.parent_id or '–')} |" for c in diff.added]
        out.append("")
    if diff.removed:
        out += [_("## Removed codes ({n})").format(n=len(diff.removed)), "",
                "| Id | " + _("Name") + " |", "|---|---|"]
        out += [f"| `{c.id}` | {_cell(c.name)} |" for c in diff.removed]
        out.append("")
    if diff.renamed:
        out += [_("## Renamed codes ({n})").format(n=len(diff.renamed)), "",
                "| Id | " + _("Before") + " | " + _("After") + " |", "|---|---|---|"]
        out += [f"| `{cid}` | {_cell(a)} | {_cell(b)} |" for cid, a, b in diff.renamed]
        out.append("")
    if diff.moved:
        out += [_("## Moved codes ({n})").format(n=len(diff.moved)), "",
                "| Id | " + _("From") + " | " + _("To") + " |", "|---|---|---|"]
        out += [f"| `{cid}` | {_cell(a or '–')} | {_cell(b or '–')} |" for cid, a, b in diff.moved]
        out.append("")
    if diff.changed:
        out += [_("## Changed definitions and keywords ({n})").format(n=len(diff.changed_ids())), ""]
        for code_id in diff.changed_ids():
            out += [f"### `{code_id}` {diff.new.get(code_id).name}", ""]
            for change in (c for c in diff.changed if c.code_id == code_id):
                out.append(f"- **{_field(change.field, lang).capitalize()}**: {_change_summary(change, lang, short=False, markdown=True)}")
            out.append("")
    return "\n".join(out)


def plan_text(plan: ApplyPlan, lang: str | None = None) -> str:
    """What applying a codebook did, or would do on a dry run."""
    with use_language(lang):
        return _plan_text(plan, lang)


def _plan_text(plan: ApplyPlan, lang: str | None = None) -> str:
    if plan.dry_run:
        head = _("Dry run: the project is unchanged. This would happen:")
    else:
        head = _("Codebook applied as version {version}.").format(version=plan.version_id)
    lines = [head, diff_text(plan.diff, lang).rstrip("\n")]
    if plan.reactivated:
        lines.append(_("Reactivated: {codes}").format(codes=", ".join(plan.reactivated)))
    if plan.diff.removed:
        lines.append(_("Codes taken out keep their codings:"))
        lines += [f"  {c.id}: " + ngettext("{n} coding", "{n} codings", plan.codings_on_removed.get(c.id, 0), lang).format(
            n=plan.codings_on_removed.get(c.id, 0)) for c in plan.diff.removed]
    return "\n".join(lines) + "\n"


def _change_summary(change: FieldChange, lang: str | None, *, short: bool, markdown: bool = False) -> str:
    if isinstance(change.old, tuple) or isinstance(change.new, tuple):
        old, new = tuple(change.old or ()), tuple(change.new or ())
        added = [x for x in new if x not in old]
        removed = [x for x in old if x not in new]
        q = (lambda s: f"`{s}`") if markdown and change.field == "keywords" else (lambda s: f"'{s}'")
        parts = []
        if added:
            parts.append(gettext("added {items}", lang).format(items=", ".join(q(_cut(x, short)) for x in added)))
        if removed:
            parts.append(gettext("removed {items}", lang).format(items=", ".join(q(_cut(x, short)) for x in removed)))
        return "; ".join(parts) or gettext("new order", lang)
    old, new = change.old or "–", change.new or "–"
    if markdown:
        return gettext("before: {old} · after: {new}", lang).format(old=_cell(str(old)), new=_cell(str(new)))
    return f"'{_cut(str(old), short)}' -> '{_cut(str(new), short)}'"


def _title(codebook) -> str:
    return f"{codebook.name} {codebook.version}".strip() or "–"


def _under(parent_id: str | None, lang: str | None) -> str:
    return gettext("under {parent}", lang).format(parent=parent_id) if parent_id else gettext("top level", lang)


def _parent(parent_id: str | None, lang: str | None) -> str:
    return parent_id if parent_id else gettext("(top level)", lang)


def _field(name: str, lang: str | None) -> str:
    return FIELD_NAMES[name](lang)


def _cut(text: str, short: bool) -> str:
    text = " ".join(text.split())
    return text if not short or len(text) <= _SHORT else text[: _SHORT - 1] + "…"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")

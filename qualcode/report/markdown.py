"""The report as Markdown: the same sections as the Word report, for wikis and git."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

from qualcode.i18n import format_percent, gettext as _, pgettext
from qualcode.report.data import Figure, ReportData
from qualcode.report.export_text import markdown_table
from qualcode.report.quotes import printed


def render_markdown(data: ReportData, figures: Sequence[Figure] = (), out_dir: Path | None = None) -> str:
    lang = data.lang
    by_name = {f.name: f for f in figures}
    lines = [f"# {data.title}", ""]
    if data.personal_data_note:
        lines += [f"> **{data.personal_data_note}**", ""]
    lines += ["## " + _("Method"), ""]
    for paragraph in data.method:
        lines += [paragraph, ""]
    if data.about_coding:
        lines += ["### " + _("About the coding"), ""]
        for paragraph in data.about_coding:
            lines += [paragraph, ""]
    lines += ["## " + _("Themes and frequencies"), ""]
    freq = data.frequencies
    table = freq.assign(
        code_name=[name if lvl == 0 else f"{'–' * lvl} {name}" for name, lvl in zip(freq["code_name"], freq["level"])],
        participants_pct=[format_percent(v / 100, lang=lang) for v in freq["participants_pct"]],
    )
    columns = ["code_name", "segments", *(["documents"] if data.show_documents else []), "participants", "participants_pct"]
    headers = [pgettext("table", "Code"), pgettext("table", "Coded segments"),
               *([pgettext("table", "Interviews")] if data.show_documents else []),
               pgettext("table", "Interviewees"), pgettext("table", "Share")]
    lines += [markdown_table(table[columns], lang=lang, headers=headers), ""]
    lines += _image(by_name.get("themes"), out_dir)
    lines += ["### " + _("By role"), ""]
    by_role = data.by_role.drop(columns=["level"]).reset_index(drop=True)
    headers = [pgettext("table", "Code"), *[f"{c} (n = {data.role_sizes.get(c, freq['N'].iloc[0] if len(freq) else 0)})"
                                            for c in by_role.columns[1:]]]
    lines += [markdown_table(by_role, lang=lang, headers=headers), ""]
    lines += _image(by_name.get("code_role"), out_dir)
    lines += ["## " + _("Quotes"), ""]
    for theme in data.codebook.roots():
        lines += [f"### {theme.name}", ""]
        for code in (theme, *data.codebook.descendants(theme.id)):
            quotes = data.selected[data.selected["code"] == code.id].sort_values("rank")
            if quotes.empty:
                continue
            if code.id != theme.id:
                lines += [f"#### {code.name}", ""]
            for _i, row in quotes.iterrows():
                lines += [f"> {printed(row, lang)}", ""]
    lines += ["## " + _("Appendix: Codebook"), ""]
    for code in data.codebook.codes:
        indent = "  " * data.codebook.depth(code.id)
        definition = f": {' '.join(code.definition.split())}" if code.definition else ""
        lines.append(f"{indent}- **{code.name}** (`{code.id}`){definition}")
    return "\n".join(lines) + "\n"


def _image(figure: Figure | None, out_dir: Path | None) -> list[str]:
    if figure is None:
        return []
    target = os.path.relpath(figure.svg, out_dir) if out_dir else str(figure.svg)
    # The caption is the alt text: a reader without images gets what the figure shows.
    return [f"![{figure.caption}]({Path(target).as_posix()})", ""]

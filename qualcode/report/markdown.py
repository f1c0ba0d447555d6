"""The report as Markdown: the same sections as the Word report, for wikis and git."""

from __future__ import annotations

import os
from pathlib import Path

from qualcode.i18n import choose
from qualcode.report.build import ReportData
from qualcode.report.export_text import markdown_table
from qualcode.report.quotes import printed


def render_markdown(data: ReportData, out_dir: Path | None = None) -> str:
    lang = data.lang
    lines = [f"# {data.title}", ""]
    if data.personal_data_note:
        lines += [f"> **{data.personal_data_note}**", ""]
    lines += [f"## {choose('Metode', 'Method', lang)}", ""]
    for paragraph in data.method:
        lines += [paragraph, ""]
    lines += [f"## {choose('Temaer og hyppigheder', 'Themes and frequencies', lang)}", ""]
    freq = data.frequencies
    table = freq.assign(code_name=[name if lvl == 0 else f"– {name}" for name, lvl in zip(freq["code_name"], freq["level"])])
    lines += [markdown_table(table[["code_name", "segments", "documents", "participants", "participants_pct"]], lang=lang), ""]
    lines += _image(data, "themes", out_dir)
    lines += [f"### {choose('Fordelt på roller', 'By role', lang)}", ""]
    lines += [markdown_table(data.by_role.drop(columns=["level"]).reset_index(drop=True), lang=lang), ""]
    lines += _image(data, "code_role", out_dir)
    lines += [f"## {choose('Citater', 'Quotes', lang)}", ""]
    for theme in data.codebook.roots():
        lines += [f"### {theme.name}", ""]
        for code in (theme, *data.codebook.descendants(theme.id)):
            quotes = data.selected[data.selected["code"] == code.id].sort_values("rank")
            if quotes.empty:
                continue
            if code.id != theme.id:
                lines += [f"#### {code.name}", ""]
            for _, quote in quotes.iterrows():
                lines += [f"> {printed(quote)}", ""]
    lines += [f"## {choose('Bilag: Kodebog', 'Appendix: Codebook', lang)}", ""]
    for code in data.codebook.codes:
        indent = "  " * data.codebook.depth(code.id)
        definition = f": {code.definition.strip()}" if code.definition else ""
        lines.append(f"{indent}- **{code.name}** (`{code.id}`){definition}")
    return "\n".join(lines) + "\n"


def _image(data: ReportData, name: str, out_dir: Path | None) -> list[str]:
    svg = next((p for p in data.charts.get(name, []) if p.suffix == ".svg"), None)
    if svg is None:
        return []
    target = os.path.relpath(svg, out_dir) if out_dir else str(svg)
    return [f"![{name}]({Path(target).as_posix()})", ""]

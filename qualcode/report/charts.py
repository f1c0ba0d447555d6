"""Charts for reports: bars per theme and a heat map of codes by role (PNG and SVG).

Drawn at the size they are printed (the text width of an A4 page, see
:data:`TEXT_WIDTH_CM`), so a label set in 8 pt prints in 8 pt: nothing is
scaled when the Word report inserts them. matplotlib with the Agg backend,
so charts render without a display (servers, CI, JupyterLab kernels alike).
Labels follow the report's language.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Mapping

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (backend must be chosen first)
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from qualcode.i18n import format_percent, gettext as _, resolve_lang  # noqa: E402

FORMATS = ("png", "svg")
TEXT_WIDTH_CM = 16.0       # A4 with 2.5 cm margins: what a portrait page prints
MIN_FONT_PT = 8            # the smallest text on any chart, at print size
LABEL_PT = 8
AXIS_PT = 9
ROW_CM = 0.5               # one bar or heat-map row: an 8 pt label with air around it
DPI = 200
_CM = 1 / 2.54
_THEME_COLOURS = ("#b2443a", "#2f6f8f", "#6a8f3a", "#8f6a2f", "#6a3a8f")
# Word's and LibreOffice's sans-serif faces first, so charts match the report's text.
_FONTS = ["Arial", "Liberation Sans", "Helvetica", "DejaVu Sans"]


_FONT_FILES = ("arial", "liberationsans-")


@lru_cache(maxsize=1)
def _register_fonts() -> None:
    """Make Arial or Liberation Sans known to matplotlib even when its font cache predates them."""
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    if known & {"Arial", "Liberation Sans"}:
        return
    for path in font_manager.findSystemFonts():
        if Path(path).name.lower().startswith(_FONT_FILES):
            font_manager.fontManager.addfont(path)


@contextmanager
def _style() -> Iterator[None]:
    _register_fonts()
    with plt.rc_context({
        "font.family": "sans-serif", "font.sans-serif": _FONTS, "font.size": LABEL_PT,
        "axes.titlesize": AXIS_PT, "axes.labelsize": AXIS_PT, "xtick.labelsize": LABEL_PT,
        "ytick.labelsize": LABEL_PT, "legend.fontsize": LABEL_PT, "svg.fonttype": "none",
        "axes.spines.top": False, "axes.spines.right": False,
    }):
        yield


def _save(fig, stem: Path, formats=FORMATS) -> list[Path]:
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in formats:
        path = stem.with_suffix(f".{fmt}")
        # A fixed date keeps SVG files byte-stable between runs. No bbox_inches="tight":
        # the file must keep the figure's size, which is its print size.
        metadata = {"Date": None} if fmt == "svg" else {}
        fig.savefig(path, format=fmt, dpi=DPI, metadata=metadata)
        paths.append(path)
    plt.close(fig)
    return paths


def theme_bars_figure(frequencies: pd.DataFrame, *, lang: str | None = None, width_cm: float = TEXT_WIDTH_CM,
                      title: str | None = None):
    """The figure of :func:`theme_bars` (not saved): interviewees raising each sub-code, coloured by theme."""
    lang = resolve_lang(lang)
    table = frequencies[frequencies["level"] > 0] if (frequencies["level"] > 0).any() else frequencies
    themes = list(dict.fromkeys(table["theme"]))
    theme_names = dict(zip(frequencies.loc[frequencies["level"] == 0, "code"], frequencies.loc[frequencies["level"] == 0, "code_name"]))
    colours = [_THEME_COLOURS[themes.index(t) % len(_THEME_COLOURS)] for t in table["theme"]]
    n = int(frequencies["N"].iloc[0]) if len(frequencies) else 0
    with _style():
        fig, ax = plt.subplots(figsize=(width_cm * _CM, (ROW_CM * len(table) + 3.0) * _CM), layout="constrained")
        values = table["participants"].to_numpy()
        ax.barh(range(len(table)), values, color=colours, height=0.7)
        ax.set_yticks(range(len(table)), list(table["code_name"]))
        ax.invert_yaxis()
        ax.set_ylim(len(table) - 0.5, -0.5)
        # Counts of people: whole numbers, and the axis runs to everyone (N), not to the longest bar,
        # with room after N for the count printed at the end of a full bar.
        ax.set_xlim(0, max(n, 1) * 1.06)
        ax.set_xticks([t for t in MaxNLocator(integer=True).tick_values(0, max(n, 1)) if 0 <= t <= max(n, 1)])
        ax.spines["bottom"].set_bounds(0, max(n, 1))
        ax.set_xlabel(_("Number of interviewees (N = {n})", lang).format(n=n))
        for y, v in enumerate(values):
            ax.text(v + max(n, 1) * 0.01, y, str(int(v)), va="center", ha="left", fontsize=LABEL_PT)
        handles = [plt.Rectangle((0, 0), 1, 1, color=_THEME_COLOURS[i % len(_THEME_COLOURS)]) for i, _t in enumerate(themes)]
        if len(themes) > 1:
            # Above the bars, outside them: a legend inside covered the last bar.
            fig.legend(handles, [theme_names.get(t, t) for t in themes], loc="outside upper center",
                       ncols=len(themes), frameon=False)
        if title:
            ax.set_title(title)
    return fig


def theme_bars(frequencies: pd.DataFrame, stem: str | Path, *, lang: str | None = None, formats=FORMATS,
               width_cm: float = TEXT_WIDTH_CM, title: str | None = None) -> list[Path]:
    """Horizontal bars: interviewees (n) raising each sub-code, grouped and coloured by theme.

    ``frequencies`` is :func:`qualcode.report.frequencies.code_frequencies` output.
    """
    with _style():  # fonts are looked up when the file is drawn, so the style must still hold
        return _save(theme_bars_figure(frequencies, lang=lang, width_cm=width_cm, title=title), Path(stem), formats)


def code_role_heatmap_figure(table: pd.DataFrame, *, sizes: Mapping[str, int] | None = None, lang: str | None = None,
                             total_label: str | None = None, width_cm: float = TEXT_WIDTH_CM, title: str | None = None):
    """The figure of :func:`code_role_heatmap` (not saved)."""
    lang = resolve_lang(lang)
    total_label = total_label or _("Total", lang)
    groups = [c for c in table.columns if c not in ("code_name", "level", total_label)]
    counts = table[groups].to_numpy(dtype=float)
    if sizes:
        # Roles differ in size (one director, two heads of department): colour by the share
        # of each role's interviewees, with n under the role's name.
        n = np.array([float(sizes.get(g, 0)) for g in groups])
        values = np.divide(counts, n, out=np.zeros_like(counts), where=n > 0)
        labels = [f"{g}\n(n = {sizes.get(g, 0)})" for g in groups]
        text = lambda v, c: format_percent(v, lang=lang)  # noqa: E731
        vmax = 1.0
    else:
        values = counts
        labels = groups
        text = lambda v, c: str(int(c))  # noqa: E731
        vmax = max(1.0, float(values.max()) if values.size else 1.0)
    with _style():
        fig, ax = plt.subplots(figsize=(width_cm * _CM, (ROW_CM * len(table) + 3.5) * _CM), layout="constrained")
        # Every cell prints its value, so no colour bar: the colour only guides the eye.
        ax.imshow(values, cmap="Blues", aspect="auto", vmin=0, vmax=vmax)
        # Role names on top, slanted: "medarbejdere" is wider than its column.
        ax.set_xticks(range(len(groups)), labels, rotation=40, ha="left", rotation_mode="anchor")
        ax.xaxis.tick_top()
        ax.set_yticks(range(len(table)), list(table["code_name"]))
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        for tick, level in zip(ax.get_yticklabels(), table["level"]):
            if level == 0:
                tick.set_fontweight("bold")  # theme rows (barriers, drivers) stand out from their codes
        for (i, j), v in np.ndenumerate(values):
            ax.text(j, i, text(v, counts[i, j]), ha="center", va="center", fontsize=LABEL_PT,
                    color="white" if v > vmax * 0.55 else "black")
        if title:
            ax.set_title(title)
    return fig


def code_role_heatmap(table: pd.DataFrame, stem: str | Path, *, sizes: Mapping[str, int] | None = None,
                      lang: str | None = None, formats=FORMATS, total_label: str | None = None,
                      width_cm: float = TEXT_WIDTH_CM, title: str | None = None) -> list[Path]:
    """Heat map of codes (rows) by role (columns).

    ``table`` is :func:`qualcode.report.frequencies.crosstab` output. With
    ``sizes`` (:func:`group_sizes`, interviewees per role) each cell is the
    share of that role's interviewees raising the code, and each column
    header says n; without, cells are counts.
    """
    with _style():
        fig = code_role_heatmap_figure(table, sizes=sizes, lang=lang, total_label=total_label, width_cm=width_cm, title=title)
        return _save(fig, Path(stem), formats)


def report_figures(data, folder: Path, *, width_cm: float = TEXT_WIDTH_CM) -> tuple:
    """The report's figures (:class:`qualcode.report.data.Figure`), drawn into ``folder``."""
    from qualcode.report.data import Figure

    lang = data.lang
    themes = theme_bars(data.frequencies, folder / "temaer", lang=lang, width_cm=width_cm)
    by_role = code_role_heatmap(data.by_role, folder / "kode_rolle", sizes=data.role_sizes, lang=lang,
                                total_label=data.total_label, width_cm=width_cm)
    return (
        Figure("themes", themes[0], themes[1], width_cm, _("Interviewees raising each theme.", lang)),
        Figure("code_role", by_role[0], by_role[1], width_cm,
               _("Share of each role's interviewees raising each code.", lang)),
    )

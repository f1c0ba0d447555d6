"""Charts for reports: bars per theme and a heat map of codes by role (PNG and SVG).

matplotlib with the Agg backend, so charts render without a display (servers,
CI, JupyterLab kernels alike). Labels are Danish by default.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (backend must be chosen first)
import pandas as pd  # noqa: E402

from qualcode.i18n import choose  # noqa: E402

FORMATS = ("png", "svg")
_THEME_COLOURS = ("#b2443a", "#2f6f8f", "#6a8f3a", "#8f6a2f", "#6a3a8f")


def _save(fig, stem: Path, formats=FORMATS) -> list[Path]:
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in formats:
        path = stem.with_suffix(f".{fmt}")
        # A fixed date keeps SVG/PNG files byte-stable between runs.
        metadata = {"Date": None} if fmt == "svg" else {}
        fig.savefig(path, format=fmt, dpi=150, bbox_inches="tight", metadata=metadata)
        paths.append(path)
    plt.close(fig)
    return paths


def theme_bars(frequencies: pd.DataFrame, stem: str | Path, *, lang: str | None = None, formats=FORMATS) -> list[Path]:
    """Horizontal bars: interviewees (n) raising each sub-code, grouped and coloured by theme.

    ``frequencies`` is :func:`qualcode.report.frequencies.code_frequencies` output.
    """
    table = frequencies[frequencies["level"] > 0] if (frequencies["level"] > 0).any() else frequencies
    themes = list(dict.fromkeys(table["theme"]))
    theme_names = dict(zip(frequencies.loc[frequencies["level"] == 0, "code"], frequencies.loc[frequencies["level"] == 0, "code_name"]))
    colours = [_THEME_COLOURS[themes.index(t) % len(_THEME_COLOURS)] for t in table["theme"]]
    height = max(2.5, 0.32 * len(table) + 1.2)
    fig, ax = plt.subplots(figsize=(8, height))
    labels = list(table["code_name"])
    ax.barh(range(len(table)), table["participants"], color=colours)
    ax.set_yticks(range(len(table)), labels, fontsize=8)
    ax.invert_yaxis()
    n = int(frequencies["N"].iloc[0]) if len(frequencies) else 0
    ax.set_xlabel(choose(f"Antal interviewpersoner (N = {n})", f"Number of interviewees (N = {n})", lang))
    ax.set_title(choose("Interviewpersoner, der nævner hvert tema", "Interviewees raising each theme", lang))
    ax.xaxis.get_major_locator().set_params(integer=True)
    handles = [plt.Rectangle((0, 0), 1, 1, color=_THEME_COLOURS[i % len(_THEME_COLOURS)]) for i, _ in enumerate(themes)]
    ax.legend(handles, [theme_names.get(t, t) for t in themes], loc="lower right", fontsize=8)
    return _save(fig, Path(stem), formats)


def code_role_heatmap(table: pd.DataFrame, stem: str | Path, *, lang: str | None = None, formats=FORMATS, total_label: str = "I alt") -> list[Path]:
    """Heat map of interviewees per code (rows) and role (columns), numbers in the cells.

    ``table`` is :func:`qualcode.report.frequencies.crosstab` output.
    """
    groups = [c for c in table.columns if c not in ("code_name", "level", total_label)]
    values = table[groups].to_numpy(dtype=float)
    height = max(2.5, 0.3 * len(table) + 1.5)
    fig, ax = plt.subplots(figsize=(1.1 * len(groups) + 4, height))
    image = ax.imshow(values, cmap="Blues", aspect="auto", vmin=0)
    ax.set_xticks(range(len(groups)), groups, rotation=30, ha="right", fontsize=8)
    ax.set_yticks(range(len(table)), list(table["code_name"]), fontsize=8)
    for tick, level in zip(ax.get_yticklabels(), table["level"]):
        if level == 0:
            tick.set_fontweight("bold")  # theme rows (barriers, drivers) stand out from their codes
    top = values.max() if values.size else 0
    for (i, j), v in pd.DataFrame(values).stack().items():
        ax.text(j, i, f"{int(v)}", ha="center", va="center", fontsize=7, color="white" if top and v > top / 2 else "black")
    ax.set_title(choose("Interviewpersoner pr. kode og rolle", "Interviewees per code and role", lang))
    fig.colorbar(image, ax=ax, label=choose("Antal", "Count", lang), shrink=0.6)
    return _save(fig, Path(stem), formats)

"""Make docs/rapport_side.png: one page of the demo's Word report as LibreOffice prints it.

    python tools/report_page.py [page]     # default: the first page of quotes

Runs ``qualcode demo`` into a temporary folder, converts ``rapport.docx`` to
PDF with LibreOffice and the page to PNG with pdftoppm (70 dpi).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "rapport_side.png"


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        subprocess.run([sys.executable, "-m", "qualcode", "demo", "--out", str(work / "demo")], check=True,
                       capture_output=True)
        subprocess.run(["soffice", f"-env:UserInstallation=file://{work / 'lo'}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(work), str(work / "demo" / "rapport.docx")], check=True, capture_output=True)
        pdf = work / "rapport.pdf"
        page = int(argv[1]) if len(argv) > 1 else _first_quote_page(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                        str(OUT.with_suffix(""))], check=True)
    print(f"{OUT.relative_to(ROOT)}: page {page}")
    return 0


def _first_quote_page(pdf: Path) -> int:
    """The page after the one where the chapter "Citater" starts (the chapter's first full page of quotes)."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    for number, page in enumerate(text.split("\f"), 1):
        if page.lstrip().startswith("Citater"):
            return number + 1
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))

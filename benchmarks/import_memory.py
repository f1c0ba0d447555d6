"""Peak memory of importing one large transcript, against the text it stores.

    python benchmarks/import_memory.py --mb 2,10,100 [--unlabelled]

Each size is a fresh ``qualcode import --max-size`` process (built from the
first sample interview repeated), measured with ``wait4``'s ``ru_maxrss``; the
baseline is the same command on the sample itself, so "above baseline" is what
the large text costs. Not part of the tests (tests/test_probes.py bounds 2 MB).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "transcripts_sample" / "01_direktoer_fjordby.txt"
MB = 1024 * 1024


def peak(args: list[str]) -> tuple[float, float]:
    began = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "qualcode", *args], stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"qualcode {' '.join(args)} failed ({status})")
    return usage.ru_maxrss / 1024, time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", default="2,10,100")
    parser.add_argument("--unlabelled", action="store_true", help="No speaker labels: the whole file is one turn.")
    options = parser.parse_args()
    body = SAMPLE.read_text(encoding="utf-8").split("---", 2)[2]
    if options.unlabelled:
        body = re.sub(r"^(I|IP): ", "", body, flags=re.M)
    print(f"load: {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        base, _ = peak(["import", str(SAMPLE), "-p", str(folder / "base.qcp")])
        print(f"baseline (the {SAMPLE.stat().st_size / 1024:.0f} kB sample): {base:.0f} MB")
        print("| text | peak RSS | above baseline | per MB of text | time |\n|---:|---:|---:|---:|---:|")
        for mb in (float(x) for x in options.mb.split(",")):
            path = folder / f"lang_{mb:g}.txt"
            path.write_text(body * (int(mb * MB) // len(body.encode()) + 1), encoding="utf-8")
            size = path.stat().st_size / MB
            rss, seconds = peak(["import", str(path), "-p", str(folder / f"{mb:g}.qcp"), "--max-size", str(2 * mb + 1)])
            print(f"| {size:.1f} MB | {rss:.0f} MB | {rss - base:.0f} MB | {(rss - base) / size:.1f}x | {seconds:.0f} s |")
            path.unlink()


if __name__ == "__main__":
    main()

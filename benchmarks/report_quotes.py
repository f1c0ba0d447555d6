"""What widening quotes to whole sentences and the new selection cost, as ratios on one corpus.

    python benchmarks/report_quotes.py --interviews 200

Builds a synthetic corpus (benchmarks/corpus.py), imports it and codes every
20th participant sentence (as run.py does), then times, alternating the
variants so machine load hits both alike:
- listing one code's quotes (raw) with and without widening (``widen=``),
- the whole quote table of the report (raw) with and without widening,
- the report's selection (``shortlist``) over that table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def timed(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=200)
    parser.add_argument("--words", type=int, default=9000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    from corpus import generate
    from stages import stage_import, stage_seed_codings

    from qualcode import Project
    from qualcode.report import quote_table, shortlist

    with tempfile.TemporaryDirectory(prefix="qcquotes-") as tmp:
        work = Path(tmp)
        files = list(generate(work / "corpus", args.interviews, words_per_interview=args.words))
        words = sum(len(p.read_text(encoding="utf-8").split()) for p in files)
        path = work / "bench.qcp"
        stage_import(path, files, work / "corpus" / "metadata.csv", words)
        seeded = stage_seed_codings(path)["seed_codings"]
        rows = {}
        with Project.open(path, create=False) as project:
            code = project.codebook.code_ids()[1]
            one = {w: 0.0 for w in (True, False)}
            full = {w: 0.0 for w in (True, False)}
            for _ in range(args.repeats):
                for widen in (True, False):
                    one[widen] += timed(lambda: quote_table(project, codes=[code], anonymise=False, widen=widen), 1)
                    full[widen] += timed(lambda: quote_table(project, anonymise=False, widen=widen), 1)
            table = quote_table(project, anonymise=False, widen=True)
            select = timed(lambda: shortlist(table), args.repeats)
        n = args.repeats
        rows["one code, widened, s"] = one[True] / n
        rows["one code, as coded, s"] = one[False] / n
        rows["one code, ratio"] = one[True] / one[False]
        rows["whole table, widened, s"] = full[True] / n
        rows["whole table, as coded, s"] = full[False] / n
        rows["whole table, ratio"] = full[True] / full[False]
        rows["selection (shortlist) of the whole table, s"] = select
        print(f"{args.interviews} interviews, {words:,} words, {seeded:,} codings, {len(table):,} quotes; "
              f"load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
        for name, value in rows.items():
            print(f"| {name} | {value:.3f} |")


if __name__ == "__main__":
    main()

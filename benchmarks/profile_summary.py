"""Summarise a py-spy profile of a benchmark run, stage by stage.

    py-spy record --nonblocking --rate 20 --subprocesses --format raw -o profile.txt -- \\
        python benchmarks/run.py --sizes 2000
    python benchmarks/profile_summary.py profile.txt[.gz] [--size 2000] [--top 8]

py-spy's raw format is one collapsed stack per line ("frame;frame;... count").
For each benchmark stage (the ``stage_*`` frame of the worker for that size)
this prints its share of the samples, the functions with the most samples
on top of the stack (own time), and the qualcode functions with the most
samples anywhere in the stack (inclusive time).
"""

from __future__ import annotations

import argparse
import gzip
import re
from collections import Counter, defaultdict
from pathlib import Path

_WORKER = re.compile(r"--worker (\d+)")
_FRAME = re.compile(r"^(?P<name>.+?) \((?P<file>[^:()]+)(?::\d+)?\)$")


def parse(path: Path, size: int | None):
    """(stage -> samples, stage -> own-time Counter, stage -> inclusive qualcode Counter)."""
    total: Counter = Counter()
    own: dict[str, Counter] = defaultdict(Counter)
    inclusive: dict[str, Counter] = defaultdict(Counter)
    opened = gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8")
    with opened as lines:
        stacks = lines.read().splitlines()
    for line in stacks:
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        worker = next((m.group(1) for f in frames[:3] if (m := _WORKER.search(f))), None)
        if worker is None or (size is not None and int(worker) != size):
            continue
        if frames[-1].startswith("process "):
            continue  # no Python frame to attribute the sample to
        stage = next((f.split(" (")[0] for f in frames if f.startswith("stage_")), None)
        if stage is None and any(f.startswith("prepare_file ") for f in frames):
            stage = "stage_import (worker processes)"
        elif stage is None:
            stage = "corpus and bare tokenizer" if any(f.startswith("bench_size") for f in frames) else "start-up"
        n = int(count)
        total[stage] += n
        own[stage][_short(frames[-1])] += n
        seen = set()
        for f in frames:
            short = _short(f)
            if "qualcode/" in f and short not in seen:
                seen.add(short)
                inclusive[stage][short] += n
    return total, own, inclusive


def _short(frame: str) -> str:
    m = _FRAME.match(frame.strip())
    if not m:
        return frame.strip()
    file = m.group("file")
    file = file.split("site-packages/")[-1] if "site-packages/" in file else file.split("/work/main/")[-1]
    return f"{m.group('name')} ({file})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", type=Path)
    parser.add_argument("--size", type=int, default=None, help="only the worker for this many interviews")
    parser.add_argument("--top", type=int, default=8)
    args = parser.parse_args()
    total, own, inclusive = parse(args.profile, args.size)
    all_samples = sum(total.values()) or 1
    for stage, n in total.most_common():
        print(f"\n## {stage}: {n} samples ({100 * n / all_samples:.0f}%)")
        print("own time:")
        for name, k in own[stage].most_common(args.top):
            print(f"  {100 * k / n:5.1f}%  {name}")
        print("inclusive (qualcode):")
        for name, k in inclusive[stage].most_common(args.top):
            print(f"  {100 * k / n:5.1f}%  {name}")


if __name__ == "__main__":
    main()

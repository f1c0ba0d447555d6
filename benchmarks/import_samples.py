"""Import throughput on the shipped sample transcripts (issue 14: readers must stay within 10 %).

    python benchmarks/import_samples.py [--rounds 15] [--files GLOB ...] [--out benchmarks/results]

Three numbers per round, all on the same files in the same process:
reading alone (``read_transcript``: layout detection and parsing, what the
readers own), a whole import into a fresh in-memory project (read, roles,
segmentation, store), and spaCy's bare tokenizer over the imported texts,
so the import can also be given as a ratio that a busy shared machine
disturbs less than a wall time. The median of the rounds is reported with
the machine and its load average.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

# The nine samples that existed before issue 14, so "before" and "after" read the same files.
BASELINE_SAMPLES = (
    "01_direktoer_fjordby.txt", "02_chef_fjordby.txt", "03_leder_hedelund.txt",
    "04_medarbejder_hedelund.docx", "05_frivillig_skovbaek.docx", "06_leder_skovbaek.vtt",
    "07_borger_fjordby.vtt", "08_chef_hedelund.srt", "09_medarbejder_skovbaek.txt",
)


def measure(files: list[Path], metadata: Path | None, rounds: int) -> dict:
    import spacy

    from qualcode import Project, import_files
    from qualcode.readers import read_transcript

    texts = [read_transcript(p).text for p in files]
    words = sum(len(t.split()) for t in texts)
    nlp = spacy.blank("da")
    # One warm-up of everything: the first import loads the lemma table and spaCy's caches.
    with Project.in_memory() as project:
        import_files(project, files, metadata_csv=metadata, progress=False)
    # Wall and CPU time of this process: on a shared machine the CPU time is disturbed less.
    wall = {"read": [], "import": [], "bare": []}
    cpu = {"read": [], "import": [], "bare": []}

    def timed(key, fn):
        w, c = time.perf_counter(), time.process_time()
        result = fn()
        wall[key].append(time.perf_counter() - w)
        cpu[key].append(time.process_time() - c)
        return result

    def import_all():
        with Project.in_memory() as project:
            return import_files(project, files, metadata_csv=metadata, progress=False)

    for _ in range(rounds):
        timed("read", lambda: [read_transcript(p) for p in files])
        report = timed("import", import_all)
        if report.failed:
            raise RuntimeError(f"import failed: {report.failed}")
        timed("bare", lambda: [None for _doc in nlp.tokenizer.pipe(texts)])
    read, imp, bare = (statistics.median(wall[k]) for k in ("read", "import", "bare"))
    read_cpu, imp_cpu, bare_cpu = (statistics.median(cpu[k]) for k in ("read", "import", "bare"))
    return {
        "files": len(files),
        "words": words,
        "rounds": rounds,
        "read_s": read,
        "read_words_per_s": words / read,
        "import_s": imp,
        "import_words_per_s": words / imp,
        "bare_tokenizer_words_per_s": words / bare,
        "import_ratio_to_bare": bare / imp,
        "read_ratio_to_bare": bare / read,
        "read_cpu_s": read_cpu,
        "import_cpu_s": imp_cpu,
        "import_cpu_words_per_s": words / imp_cpu,
        "import_cpu_ratio_to_bare": bare_cpu / imp_cpu,
    }


def main(argv: list[str] | None = None) -> int:
    from run import machine

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--files", nargs="*", type=Path, help="Transcripts (default: the nine baseline samples).")
    parser.add_argument("--metadata", type=Path, default=ROOT / "transcripts_sample" / "metadata.csv")
    parser.add_argument("--out", type=Path, default=None, help="Folder for import_samples.json.")
    args = parser.parse_args(argv)
    files = args.files or [ROOT / "transcripts_sample" / name for name in BASELINE_SAMPLES]
    started = machine()
    result = measure(files, args.metadata if args.metadata.exists() else None, args.rounds)
    record = {"machine": started, "machine_after": machine(), "result": result}
    for key, value in result.items():
        print(f"{key:28} {value:,.3f}" if isinstance(value, float) else f"{key:28} {value}")
    print("load average before/after:", started["load_average"], record["machine_after"]["load_average"])
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "import_samples.json").write_text(json.dumps(record, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

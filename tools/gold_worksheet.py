"""Print a coding worksheet for one sample transcript (for making the gold coding).

    python tools/gold_worksheet.py 03_leder_hedelund.txt > /tmp/ws_03.tsv

Lists every sentence in document order with its sentence index; participant
sentences are the ones to code, interviewer sentences are shown for context
(marked "I"). The coder writes transcripts_sample/annotations/gold_coding_NN.tsv
with the columns ``segment_index``, ``codes`` (comma-separated code ids, empty
for "no code applies") and ``note``; tools/build_gold_codings.py turns those
into transcripts_sample/gold_codings.csv with offsets.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from qualcode import Project, import_files
from qualcode.demo import sample_files

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "transcripts_sample"


def sample_project(folder: Path) -> Project:
    project = Project.open(folder / "gold.qcp")
    import_files(project, sample_files(SAMPLES), metadata_csv=SAMPLES / "metadata.csv", progress=False)
    return project


def main(name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp, sample_project(Path(tmp)) as project:
        doc = project.documents.by_name(name)
        if doc is None:
            raise SystemExit(f"{name}: not a sample transcript")
        print("segment_index\twho\ttext")
        for s in project.documents.segments(doc.id):
            who = "I" if s.is_interviewer else "IP"
            print(f"{s.index}\t{who}\t{s.text}")


if __name__ == "__main__":
    main(sys.argv[1])

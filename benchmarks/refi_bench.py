"""REFI-QDA exchange speed on the real NVivo 12.6 export (../shared/peers): read, position map, import, export.

    python benchmarks/refi_bench.py [--file PATH]

Prints one JSON line. The position map is timed both ways on the file's largest source, so the
ratio of the general (character by character) path to the NFC shortcut is measured on real text.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
import zipfile
from pathlib import Path

from qualcode import Project
from qualcode.refi import export_qdpx, import_qdpx, read_qdpx
from qualcode.refi import positions

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "peers" / "nvivo_win126_oltas0517.qdpx"


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--file", type=Path, default=DEFAULT)
    args = parser.parse_args()
    with zipfile.ZipFile(args.file) as archive:
        biggest = max((i for i in archive.infolist() if i.filename.lower().endswith(".txt")), key=lambda i: i.file_size)
        raw = archive.read(biggest).decode("utf-8-sig")
    fast_s, fast = timed(lambda: positions.normalise_with_map(raw))
    shortcut = positions._map_without_composition
    positions._map_without_composition = lambda _raw: None  # force the general path
    try:
        general_s, general = timed(lambda: positions.normalise_with_map(raw))
    finally:
        positions._map_without_composition = shortcut
    assert fast == general
    read_s, refi = timed(lambda: read_qdpx(args.file))
    with tempfile.TemporaryDirectory() as tmp, Project.in_memory() as project:
        import_s, report = timed(lambda: import_qdpx(project, args.file, "bench"))
        export_s, _summary = timed(lambda: export_qdpx(project, Path(tmp) / "ud.qdpx"))
    print(json.dumps({
        "file": args.file.name, "characters": sum(len(s.text) for s in refi.sources),
        "codings": report.codings_added, "largest_source_characters": len(raw),
        "position_map_shortcut_s": round(fast_s, 3), "position_map_general_s": round(general_s, 3),
        "position_map_ratio": round(general_s / fast_s, 1), "read_s": round(read_s, 2),
        "import_s": round(import_s, 2), "export_s": round(export_s, 2),
        "load": os.getloadavg()[0],
    }))


if __name__ == "__main__":
    main()

"""The evaluation set: gold offsets slice exactly, targets are met, exports leak nothing."""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from pathlib import Path

import pytest

from qualcode.anonymise import Anonymiser
from qualcode.anonymise.evaluate import read_gold, score
from qualcode.anonymise.files import anonymise_files, participant_rows, read_files
from qualcode.metadata import read_metadata
from qualcode.readers import read_transcript

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "transcripts_sample"
GOLD = SAMPLES / "annotations" / "gold_pii.csv"


def _tool():
    spec = importlib.util.spec_from_file_location("build_gold_pii", ROOT / "tools" / "build_gold_pii.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gold():
    return read_gold(GOLD)


@pytest.fixture(scope="module")
def samples():
    participants = read_metadata(SAMPLES / "metadata.csv")
    paths = sorted(p for p in SAMPLES.iterdir() if p.name[:2].isdigit())
    return read_files(paths, participants), participants


@pytest.fixture(scope="module")
def detected(samples):
    transcripts, participants = samples
    anonymiser = Anonymiser(metadata=participant_rows(transcripts, participants))
    anonymiser.learn(t.text for t in transcripts)
    return {t.name: anonymiser.detect(t.text) for t in transcripts}


def test_every_gold_row_slices_to_its_text(gold):
    texts = {}
    for row in gold:
        if row.file not in texts:
            texts[row.file] = read_transcript(SAMPLES / row.file).text
        text = texts[row.file]
        assert text[row.start : row.end] == row.text, (row.file, row.line)


def test_gold_covers_all_nine_samples_with_enough_mentions(gold):
    assert len(gold) == 814
    assert len({g.file for g in gold}) == 9
    assert Counter(g.type for g in gold) == {
        "PERSON": 621, "PLACE": 151, "ORG": 13, "ADDRESS": 11, "PHONE": 7, "EMAIL": 6, "CPR": 4, "URL": 1,
    }
    by_file: dict[str, list] = {}
    for g in gold:
        by_file.setdefault(g.file, []).append(g)
    for rows in by_file.values():
        rows.sort(key=lambda g: g.start)
        assert all(a.end <= b.start for a, b in zip(rows, rows[1:])), "gold mentions overlap"


def test_draft_tool_reproduces_the_checked_gold(gold):
    # Reading every drafted row in context changed nothing; if a correction is
    # ever needed, it goes into gold_pii.csv and this test names the difference.
    drafted = _tool().draft(SAMPLES)
    assert [(r["file"], r["start"], r["end"], r["type"]) for r in drafted] == [(g.file, g.start, g.end, g.type) for g in gold]


def test_detection_meets_the_targets(gold, samples, detected):
    transcripts, _ = samples
    result = score(gold, detected, {t.name: t.text for t in transcripts})
    for type_ in ("CPR", "PHONE", "EMAIL"):
        assert result.by_type[type_].recall == 1.0, type_
    assert result.by_type["PERSON"].recall >= 0.98
    assert result.group(("PLACE", "ORG")).recall >= 0.95
    assert result.overall.precision >= 0.90
    assert [(g.file, g.text) for g in result.missed] == []


def test_anonymised_samples_contain_none_of_the_listed_identifiers(tmp_path, samples):
    transcripts, participants = samples
    tool = _tool()
    anonymiser = Anonymiser(metadata=participant_rows(transcripts, participants), key_path=tmp_path / "key.json")
    written = anonymise_files(transcripts, tmp_path / "export", anonymiser)
    assert sorted(p.name for p in (tmp_path / "export").iterdir()) == sorted(Path(t.name).stem + ".txt" for t in transcripts)
    leaks = []
    for f in written:
        number = f.source.name[:2]
        text = f.output.read_text(encoding="utf-8")
        for surface, type_, _ in tool.read_identifiers(SAMPLES / "annotations" / f"identifiers_{number}.tsv"):
            if type_ == "KEEP" or tool.POLICY_KEEP.match(surface):
                continue
            if re.search(r"(?<![\w@.])" + re.escape(surface) + r"(?![\w@])", text):
                leaks.append((f.source.name, surface))
    assert leaks == []
    # Speaker names from the metadata are gone too, and the key stayed outside the export.
    export = "\n".join(f.output.read_text(encoding="utf-8") for f in written)
    for rows in participants.values():
        for p in rows:
            for name in (p.speaker, *p.interviewer_labels):
                if name not in ("I", "IP", "IP3", "Interviewer"):
                    assert not re.search(rf"\b{re.escape(name)}\b", export), name
    assert (tmp_path / "key.json").exists() and not list((tmp_path / "export").glob("*.json"))

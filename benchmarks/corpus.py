"""Synthetic corpora for benchmarks: the sample interviews recombined.

Each synthetic interview takes turns from several sample transcripts, with
fresh fictional names (Faker, da_DK) and shuffled sentence order, so no two
interviews are identical and caches do not flatter the figures. Files are
written one at a time (streamed) as plain-text transcripts with a metadata CSV.
"""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path
from typing import Iterator

from qualcode.demo import sample_dir, sample_files
from qualcode.readers import read_transcript
from qualcode.segment import sentences

ROLES = ("direktør", "chef", "leder", "medarbejder", "frivillig", "borger")
MUNICIPALITIES = ("Fjordby Kommune", "Hedelund Kommune", "Skovbæk Kommune", "Nordå Kommune")


def sample_turns() -> tuple[list[str], list[str]]:
    """Interviewer turns and participant turns (as sentence lists joined) from the samples."""
    questions, answers = [], []
    for path in sample_files(sample_dir()):
        t = read_transcript(path)
        # A short turn ending in "?" is a question; everything else is an answer.
        for turn in t.turns:
            text = t.text[turn.start : turn.end]
            (questions if text.rstrip().endswith("?") and len(text) < 300 else answers).append(text)
    return questions, answers


def generate(folder: Path, n: int, *, words_per_interview: int = 9000, seed: int = 1) -> Iterator[Path]:
    """Write ``n`` synthetic interviews to ``folder`` and yield their paths."""
    from faker import Faker

    fake = Faker("da_DK")
    Faker.seed(seed)
    rng = random.Random(seed)
    questions, answers = sample_turns()
    answer_sentences = [sentences(a) for a in answers]
    folder.mkdir(parents=True, exist_ok=True)
    meta_path = folder / "metadata.csv"
    with meta_path.open("w", encoding="utf-8", newline="") as meta:
        writer = csv.writer(meta)
        writer.writerow(["file", "participant_id", "speaker", "role", "title", "municipality", "department", "date", "interviewer"])
        for i in range(n):
            name = f"{i:05d}_interview.txt"
            first = fake.first_name()
            colleague = fake.name()
            lines = [f"I: Velkommen, {first}. Vil du starte med at fortælle om din rolle?"]
            words = 0
            while words < words_per_interview:
                q = rng.choice(questions)
                sents = list(rng.choice(answer_sentences))
                rng.shuffle(sents)
                answer = " ".join(sents)
                # Fresh names so the text differs between interviews.
                answer = re.sub(r"\b(Birgitte|Henrik|Lone|Jonas|Malene|Erik|Pernille|Tina|Sara)\b", first, answer)
                answer = answer.replace("Camilla", colleague.split()[0])
                lines.append(f"I: {q}")
                lines.append(f"IP: {answer}")
                words += len(q.split()) + len(answer.split())
            path = folder / name
            path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
            writer.writerow([name, f"P{i:05d}", "IP", ROLES[i % len(ROLES)], "", MUNICIPALITIES[i % len(MUNICIPALITIES)], "", "2026-03-01", "I"])
            yield path

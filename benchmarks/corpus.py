"""Synthetic corpora for benchmarks: the sample interviews recombined.

Each synthetic interview takes turns from several sample transcripts, with
fresh fictional names (Faker, da_DK) and shuffled sentence order, so no two
interviews are identical. Recombining alone would leave the vocabulary at
the samples' few thousand word forms however large the corpus, and every
per-word cache (spaCy's tokenizer, lemma and feature caches) would look far
better than on real interviews. So the generator also brings in new word
forms at the rate real text does (Heaps' law, V(n) = K * n ** BETA distinct
forms after n words): Danish compounds of the samples' words, inflected
forms, and local names of places and projects, each used a few times.
Files are written one at a time (streamed) as plain-text transcripts with a
metadata CSV.
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
# Vocabulary growth of transcribed spoken Danish: about 3,000 forms in one
# interview, 55,000 in 200 and 190,000 in 2,000 (9,000 words each).
HEAPS_K = 20.0
HEAPS_BETA = 0.55
ENDINGS = ("", "", "en", "et", "er", "erne", "ens", "s")
_WORD = re.compile(r"^[a-zæøå]{4,}$")


def heaps(words: int) -> float:
    return HEAPS_K * words**HEAPS_BETA


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


class NewForms:
    """Word forms the samples do not have, made at the rate real text makes them."""

    def __init__(self, rng: random.Random, stems: list[str], fake):
        self.rng = rng
        self.stems = stems
        self.fake = fake
        self.seen: set[str] = set()

    def make(self) -> str:
        rng = self.rng
        while True:
            kind = rng.random()
            if kind < 0.75:
                # A compound of two sample words, the linking -s or not ("borgermøde", "samarbejdsaftale").
                first, second = rng.choice(self.stems), rng.choice(self.stems)
                link = "s" if first.endswith(("ning", "hed", "else", "skab")) else ""
                word = first + link + second + rng.choice(ENDINGS)
            elif kind < 0.9:
                word = self.fake.city().split()[0].lower().capitalize() + rng.choice(("", "s", "-projektet", "-netværket"))
            else:
                word = self.fake.last_name() + rng.choice(("", "s"))
            if word not in self.seen:
                self.seen.add(word)
                return word


def _vary(answer: str, rng: random.Random, new: list[str]) -> str:
    """Put the new forms into an answer in place of ordinary words, each two or three times."""
    words = answer.split(" ")
    slots = [i for i, w in enumerate(words) if _WORD.match(w)]
    for form in new:
        for _ in range(rng.choice((1, 2, 2, 3))):
            if slots:
                words[rng.choice(slots)] = form
    return " ".join(words)


def generate(folder: Path, n: int, *, words_per_interview: int = 9000, seed: int = 1) -> Iterator[Path]:
    """Write ``n`` synthetic interviews to ``folder`` and yield their paths."""
    from faker import Faker

    fake = Faker("da_DK")
    Faker.seed(seed)
    rng = random.Random(seed)
    questions, answers = sample_turns()
    answer_sentences = [sentences(a) for a in answers]
    stems = sorted({w for a in answers for w in a.lower().split() if _WORD.match(w)})
    forms = NewForms(rng, stems, fake)
    sample_vocabulary = len({w for a in answers + questions for w in a.split()})
    folder.mkdir(parents=True, exist_ok=True)
    meta_path = folder / "metadata.csv"
    total_words = 0
    with meta_path.open("w", encoding="utf-8", newline="") as meta:
        writer = csv.writer(meta)
        writer.writerow(["file", "participant_id", "speaker", "role", "title", "municipality", "department", "date", "interviewer"])
        for i in range(n):
            name = f"{i:05d}_interview.txt"
            first = fake.first_name()
            colleague = fake.name()
            lines = [f"I: Velkommen, {first}. Vil du starte med at fortælle om din rolle?"]
            words = 0
            # New forms this interview brings, beyond the samples' own vocabulary.
            due = max(0, int(heaps(total_words + words_per_interview) - max(heaps(total_words), sample_vocabulary)))
            while words < words_per_interview:
                q = rng.choice(questions)
                sents = list(rng.choice(answer_sentences))
                rng.shuffle(sents)
                answer = " ".join(sents)
                # Fresh names so the text differs between interviews.
                answer = re.sub(r"\b(Birgitte|Henrik|Lone|Jonas|Malene|Erik|Pernille|Tina|Sara)\b", first, answer)
                answer = answer.replace("Camilla", colleague.split()[0])
                take = min(due, max(1, len(answer.split()) // 25)) if due else 0
                due -= take
                answer = _vary(answer, rng, [forms.make() for _ in range(take)])
                lines.append(f"I: {q}")
                lines.append(f"IP: {answer}")
                words += len(q.split()) + len(answer.split())
            total_words += words
            path = folder / name
            path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
            writer.writerow([name, f"P{i:05d}", "IP", ROLES[i % len(ROLES)], "", MUNICIPALITIES[i % len(MUNICIPALITIES)], "", "2026-03-01", "I"])
            yield path

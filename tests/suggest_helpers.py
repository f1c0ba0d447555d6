"""A small codebook and interview shared by the suggestion tests."""

from __future__ import annotations

from pathlib import Path

from qualcode.codebook import Code, Codebook

CODES = (
    Code("barrierer", "Barrierer", None, "Forhold der hæmmer samarbejdet."),
    Code(
        "b.maal", "Målstyring", "barrierer",
        definition="Målinger og resultatkrav der belønner egne resultater.",
        include="Måltal, nøgletal, effektmålinger.",
        examples=("Vi bliver målt på, hvor mange der kommer i job.",),
        keywords=("*måling", "måle", "nøgletal*"),
    ),
    Code(
        "b.tid", "Tidspres", "barrierer",
        definition="Mangel på tid i hverdagen til at koordinere og mødes.",
        include="Travlhed og store sagsstammer.",
        examples=("Der er bare ikke tid, man når det ikke.",),
        keywords=("travlhed", "ikke tid", "sagsstamme*"),
    ),
    Code("drivkraefter", "Drivkræfter", None, "Forhold der fremmer samarbejdet."),
    Code(
        "d.ledelse", "Ledelsesopbakning", "drivkraefter",
        definition="Synlig opbakning og mandat fra topledelsen og direktøren.",
        include="Direktøren går forrest, ledelsen giver mandat.",
        examples=(),  # a code with no examples
        keywords=("mandat*", "opbakning*"),
    ),
    Code(
        "d.tillid", "Tillid og relationer", "drivkraefter",
        definition="Tillid, relationer og personligt kendskab på tværs af sektorer.",
        include="At kende hinanden, stole på hinanden, jobbytte.",
        examples=("Vi kender hinanden nu, så jeg ringer bare direkte.",),
        keywords=("tillid", "samarbejde", "kende hinanden"),
    ),
)
CODEBOOK = Codebook("Testkodebog", "1", "da", "", CODES)


def without_keywords(codebook: Codebook = CODEBOOK) -> Codebook:
    from dataclasses import replace

    return replace(codebook, codes=tuple(replace(c, keywords=()) for c in codebook.codes))


INTERVIEW = (
    "I: Hvordan fungerer samarbejdet med jobcentret?\n"
    "IP: Vi har en samarbejdsaftale, men vores nøgletal bliver ringere af det. "
    "Øh, altså, ikke? "
    "Der er simpelthen ikke tid til møderne, travlheden er enorm.\n"
    "I: Hvad med ledelsen?\n"
    "IP: Direktøren bakker op og har givet os mandat. "
    "Jeg stoler på kollegerne, vi kender hinanden efter et jobbytte.\n"
)


def write_interview(folder: Path, name: str = "01_leder.txt", text: str = INTERVIEW) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path

"""The method paragraph, written from the project's data rather than by hand.

States what a reader of a Danish evaluation report expects: how many
interviews with which roles, who coded against which codebook, how machine
suggestions were used, agreement if it was measured, and how quotes were
anonymised and edited.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Mapping, Sequence

from qualcode.codebook.model import Codebook
from qualcode.i18n import choose, resolve_lang
from qualcode.project import Project
from qualcode.report.wording import count_phrase, join_words, role_order


def interviews_by_role(project: Project) -> Counter:
    return Counter(d.metadata.get("role") or "" for d in project.documents.headers())


def interviews_sentence(project: Project, lang: str | None = None) -> str:
    """ "Analysen bygger på 18 interviews: 3 direktører, 4 chefer, 6 ledere og 5 medarbejdere." """
    counts = interviews_by_role(project)
    total = sum(counts.values())
    phrases = [count_phrase(counts[r], r, lang) for r in role_order(r for r in counts if r)]
    if counts.get(""):
        phrases.append(choose(f"{counts['']} uden oplyst rolle", f"{counts['']} without a stated role", lang))
    parts = join_words(phrases, lang)
    noun = choose("interview" if total == 1 else "interviews", "interview" if total == 1 else "interviews", lang)
    return choose(f"Analysen bygger på {total} {noun}: {parts}.", f"The analysis is based on {total} {noun}: {parts}.", lang)


def suggestion_sentence(project: Project, lang: str | None = None) -> str:
    machine = project.codings.status_counts(source="machine")
    total = sum(machine.values())
    if not total:
        return choose(
            "Der er ikke brugt maskinforslag; al kodning er foretaget af mennesker.",
            "No machine suggestions were used; all coding was done by people.",
            lang,
        )
    accepted, rejected = machine.get("accepted", 0), machine.get("rejected", 0)
    open_ = machine.get("suggested", 0) + machine.get("needs_review", 0)
    return choose(
        f"qualcode foreslog {total} kodninger ud fra kodebogens definitioner og nøgleord. "
        f"{accepted} forslag blev accepteret og {rejected} afvist af en koder; {open_} er ikke gennemgået. "
        "Kun kodninger, som en koder har accepteret, indgår i tabeller og citater.",
        f"qualcode suggested {total} codings from the codebook's definitions and keywords. "
        f"A coder accepted {accepted} suggestions and rejected {rejected}; {open_} were not reviewed. "
        "Only codings a coder accepted are counted and quoted.",
        lang,
    )


def agreement_sentence(project: Project, coders: Sequence[str], lang: str | None = None) -> str | None:
    """Agreement between the human coders on sentences they both coded; ``None`` if not measurable."""
    if len(coders) < 2:
        return None
    try:
        from qualcode.agreement import agreement
    except ImportError:
        return None
    table = agreement(project, coders=list(coders), unit="sentence", lang=lang)
    pooled = table[table["level"] == "overall"].iloc[0]  # all codes, each sentence x code one decision
    alpha, share, units = pooled["krippendorff_alpha"], pooled["percent_agreement"], int(pooled["units"])
    if not units or math.isnan(alpha):
        return None
    english = resolve_lang(lang) == "en"
    alpha_text = f"{alpha:.2f}" if english else f"{alpha:.2f}".replace(".", ",")
    percent = f"{share:.0%}" if english else f"{100 * share:.0f} %"
    who = join_words(list(coders), lang)
    return choose(
        f"Krippendorffs alfa {alpha_text} ({percent} enighed) for {who} på {units} sætninger, som begge har kodet",
        f"Krippendorff's alpha {alpha_text} ({percent} agreement) for {who} on {units} sentences both coded",
        lang,
    )


def method_paragraphs(
    project: Project,
    codebook: Codebook,
    *,
    coders: Sequence[str],
    coder_notes: Mapping[str, str] | None = None,
    agreement: str | None = None,
    anonymised: bool = True,
    cleaned: bool = True,
    lang: str | None = None,
) -> list[str]:
    """Paragraphs of the method section, in order."""
    coder_notes = coder_notes or {}
    described = [f"{c} ({coder_notes[c]})" if c in coder_notes else c for c in coders]
    opening = "\u201c" if resolve_lang(lang) == "en" else "\u201d"  # Danish opens with a closing mark
    book = f"{opening}{codebook.name}\u201d" + (f" (version {codebook.version})" if codebook.version else "")
    coding = choose(
        f"Interviewene er kodet mod kodebogen {book} af {join_words(described, lang) or 'ingen kodere endnu'}.",
        f"The interviews were coded against the codebook {book} by {join_words(described, lang) or 'no coders yet'}.",
        lang,
    )
    paragraphs = [interviews_sentence(project, lang) + " " + coding, suggestion_sentence(project, lang)]
    if agreement:
        paragraphs.append(choose(f"Enighed mellem kodere: {agreement}.", f"Agreement between coders: {agreement}.", lang))
    if anonymised:
        privacy = choose(
            "Citaterne er anonymiseret: navne, steder, arbejdspladser og andre identifikatorer er erstattet, "
            "og citater angives kun med interviewpersonens rolle. Kommuner omtales med pseudonymer (fx \u201dKommune A\u201d).",
            "Quotes are anonymised: names, places, workplaces and other identifiers are replaced, and quotes are "
            "attributed by the interviewee's role only. Municipalities are pseudonymised (e.g. \u201cKommune A\u201d).",
            lang,
        )
    else:
        privacy = choose(
            "Citaterne er IKKE anonymiseret og indeholder persondata.",
            "Quotes are NOT anonymised and contain personal data.",
            lang,
        )
    if cleaned:
        privacy += " " + choose(
            "Fyldord (øh, æh, ehm, hmm) er fjernet, og hver udeladelse er markeret med \u201d…\u201d; ordlyden er ellers uændret.",
            "Fillers (øh, æh, ehm, hmm) are removed and each cut is marked \u201c…\u201d; wording is otherwise unchanged.",
            lang,
        )
    paragraphs.append(privacy)
    return paragraphs

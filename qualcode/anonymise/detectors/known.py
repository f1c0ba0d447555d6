"""Names the project already knows: register, participant metadata, earlier documents.

These are the most certain findings: the researcher listed them, or a
pattern elsewhere in the project proved them ("Hedelund Kommune" makes a bare
"Hedelund" a municipality everywhere). A single word that is also an
ordinary Danish word ("Mark", "Skov") is only taken mid-sentence, where
Danish capitalises nothing but names.
"""

from __future__ import annotations

from qualcode.anonymise.detectors.base import DetectionContext, span
from qualcode.anonymise.lexicon import FINITE_VERBS, is_ambiguous
from qualcode.anonymise.spans import KIND_MUNICIPALITY, PiiSpan
from qualcode.anonymise.tokens import Token


class KnownNamesDetector:
    name = "known"

    def detect(self, context: DetectionContext) -> list[PiiSpan]:
        text, tokens = context.text, context.tokens
        found = []
        for m in context.matches(context.known):
            entity = m.payload
            first = tokens[m.first]
            if m.first == m.last and is_ambiguous(first.text) and first.text[1:].islower():
                followed_by_kommune = entity.key.startswith(KIND_MUNICIPALITY + ":") and kommune_after(text, tokens, m.last)
                if first.sentence_initial and not followed_by_kommune and not _acts_as_subject(context, m.last, entity.type):
                    continue
            start, end, genitive = m.start, m.end, m.genitive
            if entity.key.startswith(KIND_MUNICIPALITY + ":"):
                after = kommune_after(text, tokens, m.last)
                if after is not None:
                    end, genitive = after.end, after.lower.endswith("s")
            found.append(span(context, start, end, entity.type, entity.score, entity.source, entity.key, genitive))
        return found


def _acts_as_subject(context: DetectionContext, i: int, type_: str) -> bool:
    """A known name at a sentence start followed by a finite verb, or by "og" and another known name."""
    tokens, text = context.tokens, context.text
    if type_ != "PERSON" or i + 1 >= len(tokens) or text[tokens[i].end : tokens[i + 1].start] != " ":
        return False
    nxt = tokens[i + 1]
    if nxt.lower in FINITE_VERBS:
        return True
    if nxt.lower == "og" and i + 2 < len(tokens) and tokens[i + 2].capitalised:
        other = context.known.get(tokens[i + 2].text)
        return other is not None and other.type == "PERSON"
    return False


def kommune_after(text: str, tokens: list[Token], i: int) -> Token | None:
    """The "Kommune" token right after token ``i`` ("Fjordby Kommune", "Fjordby kommunes")."""
    if i + 1 < len(tokens):
        nxt = tokens[i + 1]
        if nxt.lower in ("kommune", "kommunes") and text[tokens[i].end : nxt.start] == " ":
            return nxt
    return None

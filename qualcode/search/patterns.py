"""Search patterns: where a pattern occurs in a text, as character offsets into that text.

The default is lemma-aware, in the syntax of codebook keywords
(:func:`qualcode.codebook.parse_keyword`): a word finds its inflections
("budget" finds "budgettet", "budgetter", "budgetterne"), ``*`` at either end
of a word finds compounds ("budget*" finds "budgetopfølgning"), and several
words are a phrase ("bakke op" finds "bakker op"). ``regex=True`` takes a
Python regular expression instead (case-insensitive).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from qualcode.codebook.keywords import KeywordPattern, WordPattern, parse_keyword
from qualcode.errors import QualcodeError
from qualcode.i18n import N_, gettext as _
from qualcode.nlp import get_nlp, lemma_of

# Danish inflection endings a search word may carry (nouns, verbs, adjectives), so
# a word the lemma table does not know, or lemmatises as another word class
# ("budgetter" -> "budgettere"), is still found in all its forms.
ENDINGS = frozenset({
    "", "e", "en", "et", "er", "ere", "erne", "ene", "es", "s", "ens", "ets", "ernes", "enes", "eres",
    "r", "n", "t", "te", "ter", "tes", "ede", "ende", "ne", "rne", "st", "ste", "erer", "eret", "erede", "erende",
})
MAX_PATTERN = 500

# Python's regular-expression errors are English; the ones a user typing a pattern meets, translated.
_REGEX_PROBLEMS = [
    (re.compile(r"missing \), unterminated subpattern$"), N_("a parenthesis is not closed")),
    (re.compile(r"unbalanced parenthesis$"), N_("a closing parenthesis has no opening one")),
    (re.compile(r"nothing to repeat$"), N_("*, + or ? has nothing before it to repeat")),
    (re.compile(r"multiple repeat$"), N_("two repeats in a row (such as ** or +*)")),
    (re.compile(r"unterminated character set$"), N_("a [ is not closed")),
    (re.compile(r"bad escape \(end of pattern\)$"), N_("the pattern ends in a backslash")),
    (re.compile(r"bad escape (?P<escape>.+)$"), N_("unknown escape {escape}")),
    (re.compile(r"unexpected end of pattern$"), N_("the pattern ends too early")),
    (re.compile(r"bad character range (?P<range>.+)$"), N_("the range {range} runs backwards")),
    (re.compile(r"min repeat greater than max repeat$"), N_("in {{m,n}} the first number is larger than the second")),
    (re.compile(r"look-behind requires fixed-width pattern$"), N_("a look-behind (?<=…) must have a fixed length")),
    (re.compile(r"unknown extension (?P<extension>.+)$"), N_("unknown group type {extension}")),
]


def regex_problem(exc: re.error) -> str:
    """What is wrong with a regular expression, in the user's language (where the pattern breaks, if known)."""
    problem = next((_(message).format(**m.groupdict()) for pattern, message in _REGEX_PROBLEMS
                    if (m := pattern.match(exc.msg))), exc.msg)
    if exc.pos is None:
        return problem
    return _("{problem}, at character {n}").format(problem=problem, n=exc.pos + 1)


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    form: str  # lowercase as written
    lemma: str


def inflects(form: str, stem: str) -> bool:
    """Whether ``form`` is ``stem`` with an inflection ending (the stem's last consonant may double)."""
    if not form.startswith(stem):
        return False
    rest = form[len(stem):]
    if rest in ENDINGS:
        return True
    return bool(rest) and stem[-1:] not in "aeiouyæøå" and rest[0] == stem[-1] and rest[1:] in ENDINGS - {""}


@lru_cache(maxsize=100_000)
def _word_matches(word: WordPattern, stem_lemma: str, form: str, lemma: str) -> bool:
    if word.prefix or word.suffix:
        return word.matches(lemma) or word.matches(form)
    return lemma in (word.stem, stem_lemma) or form == word.stem or inflects(form, word.stem)


def tokens(text: str) -> list[Token]:
    """The words of ``text`` with their character offsets and lemmas (spaCy's tokenizer, qualcode's lemmas)."""
    out = []
    for t in get_nlp().tokenizer(text):
        if any(ch.isalpha() for ch in t.text):
            out.append(Token(t.idx, t.idx + len(t.text), t.text.lower(), lemma_of(t.text)))
    return out


class Pattern:
    """A compiled search pattern; :meth:`find` gives ``(start, end)`` spans in a text."""

    def __init__(self, text: str, *, regex: bool = False):
        self.text = text
        self.regex = regex
        if not text.strip():
            raise QualcodeError(_("the search pattern is empty"))
        if len(text) > MAX_PATTERN:
            raise QualcodeError(_("the search pattern is longer than {n} characters").format(n=MAX_PATTERN))
        if regex:
            try:
                self._re = re.compile(text, re.IGNORECASE)
            except re.error as exc:
                raise QualcodeError(_("not a valid regular expression: {pattern} ({problem})").format(
                    pattern=text, problem=regex_problem(exc))) from exc
            self._keyword = None
        else:
            try:
                self._keyword: KeywordPattern | None = parse_keyword(text)
            except ValueError as exc:
                raise QualcodeError(_("not a usable search pattern: {problem}").format(problem=exc)) from exc
            self._stem_lemmas = tuple(lemma_of(w.stem) for w in self._keyword.words)
            # A cheap test before a text is tokenised: some form of the first word must occur in it.
            first = self._keyword.words[0]
            self._probes = tuple({first.stem[: max(3, len(first.stem) - 1)], self._stem_lemmas[0][:3]})

    @property
    def mode(self) -> str:
        return "regex" if self.regex else "lemma"

    def might_occur(self, text_lower: str, lemmas: tuple[str, ...] = ()) -> bool:
        """False only when :meth:`find` surely finds nothing in a text (lowercased) with these lemmas."""
        if self.regex:
            return True
        if any(p in text_lower for p in self._probes):
            return True
        return self._stem_lemmas[0] in lemmas

    def find(self, text: str) -> list[tuple[int, int]]:
        if self._keyword is None:
            return [m.span() for m in self._re.finditer(text) if m.end() > m.start()]
        words = self._keyword.words
        toks = tokens(text)
        n = len(words)
        spans = []
        for i in range(len(toks) - n + 1):
            if all(_word_matches(words[k], self._stem_lemmas[k], toks[i + k].form, toks[i + k].lemma) for k in range(n)):
                spans.append((toks[i].start, toks[i + n - 1].end))
        return spans

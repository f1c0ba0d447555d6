"""The method section, written from the project's facts (:mod:`qualcode.report.facts`).

It states what a reader of a Danish evaluation report expects and nothing
that is not so: how many interviews with which roles (in words: "tre
direktører"), when and in how many municipalities, who coded against which
codebook, how suggestions were used, agreement when two people coded, what
the report covers, how quotes were chosen, anonymised and edited. Wording
that names the tool goes into a separate "Om kodningen" paragraph
(:func:`about_coding`) that a writer can drop. No sentence starts with a
numeral.
"""

from __future__ import annotations

from importlib import metadata as _metadata
from typing import Sequence

from qualcode.i18n import (
    format_date, format_number, format_percent, gettext as _, join_list, ngettext, number_in_words, quote, resolve_lang,
)
from qualcode.report.data import ReportScope
from qualcode.report.facts import Coding, Material, Quoting
from qualcode.report.wording import count_phrase, role_label


def count(n: int, lang: str, *, neuter: bool = False, stressed: bool = False) -> str:
    """A count inside a sentence: words up to twelve, digits with a thousands separator above."""
    return number_in_words(n, lang, neuter=neuter, stressed=stressed)


# -- the material ----------------------------------------------------------------
def material_sentences(m: Material, lang: str | None = None) -> list[str]:
    """ "Analysen bygger på ni interviews med en direktør, to chefer …. Interviewene er gennemført i marts 2026 i …" """
    lang = resolve_lang(lang)
    if not m.interviews:
        return [_("The project has no interviews yet.", lang)]
    n = m.interviews
    known = [count_phrase(k, r, lang, words=True) for r, k in m.roles.items() if r]
    unknown = m.roles.get("", 0)
    if known and unknown:
        known.append(ngettext("{n} interviewee without a stated role", "{n} interviewees without a stated role",
                              unknown, lang).format(n=count(unknown, lang)))
    if known:
        first = ngettext("The analysis is based on {n} interview with {roles}.",
                         "The analysis is based on {n} interviews with {roles}.", n, lang)
        sentences = [first.format(n=count(n, lang, neuter=True, stressed=True), roles=join_list(known, lang))]
    else:
        sentences = [ngettext("The analysis is based on {n} interview.", "The analysis is based on {n} interviews.",
                              n, lang).format(n=count(n, lang, neuter=True, stressed=True))]
    when = period(m, lang)
    where = places(m.municipalities, lang)
    if when and where:
        sentences.append(ngettext("The interview was conducted {when} {where}.", "The interviews were conducted {when} {where}.",
                                  n, lang).format(when=when, where=where))
    elif when or where:
        sentences.append(ngettext("The interview was conducted {when}.", "The interviews were conducted {when}.",
                                  n, lang).format(when=when or where))
    return sentences


def period(m: Material, lang: str) -> str:
    """ "i marts 2026", "fra februar til april 2026", "fra november 2025 til februar 2026"."""
    first, last = m.first_date, m.last_date
    if first is None or last is None:
        return ""
    if (first.year, first.month) == (last.year, last.month):
        return _("in {month}", lang).format(month=format_date(first, "MMMM y", lang))
    start = format_date(first, "MMMM" if first.year == last.year else "MMMM y", lang)
    return _("from {first} to {last}", lang).format(first=start, last=format_date(last, "MMMM y", lang))


def places(municipalities: Sequence[str], lang: str) -> str:
    """ "i Kommune A", "i tre kommuner (Kommune A, Kommune B og Kommune C)"."""
    if not municipalities:
        return ""
    if len(municipalities) == 1:
        return _("in {municipality}", lang).format(municipality=municipalities[0])
    return _("in {n} municipalities ({names})", lang).format(
        n=count(len(municipalities), lang), names=join_list(list(municipalities), lang))


# -- the coding ------------------------------------------------------------------
def coding_sentences(c: Coding, lang: str | None = None) -> list[str]:
    """Who coded against what, what the tables count, and agreement; true in every project state."""
    lang = resolve_lang(lang)
    book = quote(c.codebook, lang) + (_(" (version {version})", lang).format(version=c.version) if c.version else "")
    people = [f"{name} ({c.notes[name]})" if name in c.notes else name for name in c.coders]
    if not c.counted:
        if c.suggested and not c.reviewed:
            return [_("The codebook is {codebook}. So far there are only automatic coding suggestions that nobody "
                      "has reviewed, so the report has no counts or quotes yet.", lang).format(codebook=book)]
        return [_("The codebook is {codebook}. No coding has been accepted yet, so the report has no counts or "
                  "quotes yet.", lang).format(codebook=book)]
    out = []
    if people:
        out.append(ngettext(
            "The interviews were coded against the codebook {codebook} by one coder, {names}.",
            "The interviews were coded against the codebook {codebook} by {n} coders: {names}.",
            len(people), lang,
        ).format(codebook=book, n=count(len(people), lang), names=join_list(people, lang)))
    else:
        out.append(_("The tables and quotes are based on automatic coding suggestions against the codebook {codebook} "
                     "that no coder has reviewed; the results are preliminary.", lang).format(codebook=book))
    if c.coder_filter:
        out.append(_("The report counts only the codings by {names}.", lang).format(names=join_list(list(c.coder_filter), lang)))
    if people and c.reviewed:
        out.append(ngettext(
            "The coder was offered automatic suggestions and accepted or rejected them one by one.",
            "The coders were offered automatic suggestions and accepted or rejected them one by one.",
            len(people), lang,
        ))
    if people and c.include_open and c.machine.get("suggested", 0):
        out.append(_("The tables and quotes also include suggestions nobody has reviewed yet.", lang))
    elif people and c.suggested:
        out.append(_("Only codings a coder made or accepted are counted and quoted.", lang))
    if c.consensus:
        out.append(_("Where the coders disagreed, the coding was settled together in a consensus meeting.", lang))
    if len(people) > 1 or c.consensus:
        out.append(_("A passage several coders gave the same code is counted once.", lang))
    if c.agreement_text:
        out.append(c.agreement_text)
    elif c.agreement is not None:
        a = c.agreement
        out.append(ngettext(
            "Agreement between {names} was measured on the {n} sentence they all coded: Krippendorff's alpha is "
            "{alpha} ({share} agreement).",
            "Agreement between {names} was measured on the {n} sentences they all coded: Krippendorff's alpha is "
            "{alpha} ({share} agreement).",
            a.units, lang,
        ).format(names=join_list(list(a.coders), lang), n=count(a.units, lang), alpha=format_number(a.alpha, 2, lang),
                 share=format_percent(a.share, lang=lang)))
    return out


# -- scope, quotes ------------------------------------------------------------------
def scope_sentences(scope: ReportScope, code_names: Sequence[str], documents: Sequence[str], lang: str | None = None) -> list[str]:
    """What a filtered report leaves out, so no reader takes a part for the whole."""
    lang = resolve_lang(lang)
    out = []
    if scope.codes:
        names = join_list([quote(n, lang) for n in code_names], lang)
        out.append(ngettext("The report covers only the code {names} and the codes below it.",
                            "The report covers only the codes {names} and the codes below them.",
                            len(code_names), lang).format(names=names))
    if scope.roles:
        roles = join_list([role_label(r, lang, plural=True) for r in scope.roles], lang)
        out.append(_("The report covers only what {roles} said.", lang).format(roles=roles))
    if scope.documents:
        out.append(ngettext("The report covers only the interview {names}.", "The report covers only the interviews {names}.",
                            len(documents), lang).format(names=join_list(list(documents), lang)))
    return out


def quoting_sentences(q: Quoting, lang: str | None = None) -> list[str]:
    """How quotes were chosen, anonymised and edited."""
    lang = resolve_lang(lang)
    out = [_("The quotes were chosen so that as many roles and interviewees as possible are heard under each code; "
             "among those, quotes that stand on their own and that the coders rated highest come first.", lang)]
    out.append(_("A quote may appear under more than one code.", lang) if q.repeats
               else _("Each quote is used only once in the report.", lang))
    if q.widened:
        out.append(_("Where a coded passage does not stand on its own, it is widened to whole sentences of the same answer.", lang))
    if q.anonymised:
        if q.pseudonyms == "role":
            out.append(_("The quotes are anonymised: a person named in a quote is replaced by their role in brackets, "
                         "e.g. [leder], or by [name]; places, workplaces and other identifiers are replaced as well, and "
                         "municipalities are given pseudonyms (e.g. Municipality A).", lang))
        else:
            out.append(_("The quotes are anonymised: names, places, workplaces and other identifiers are replaced by "
                         "labels such as [Person 1] and [Municipality A].", lang))
        out.append(_("Each quote is attributed by the interviewee's role and a participant number only.", lang)
                   if q.with_participant else _("Each quote is attributed by the interviewee's role only.", lang))
    else:
        out.append(_("The quotes are NOT anonymised and contain personal data.", lang))
    if q.cleaned:
        out.append(_("Fillers (øh, æh) and transcription notes such as [pause] and (griner) are removed, and every "
                     "omission is marked with {mark}; the wording is otherwise unchanged.", lang).format(mark=quote("…", lang)))
    return out


# -- "Om kodningen": the tool ----------------------------------------------------------
def about_coding(c: Coding, lang: str | None = None) -> list[str]:
    """The paragraph about the tool: what the software suggested and how the counts are made."""
    lang = resolve_lang(lang)
    out = [_("Coding, counts and the choice of quotes were done with qualcode {version}.", lang).format(version=_version())]
    if c.suggested:
        accepted, rejected = c.machine.get("accepted", 0), c.machine.get("rejected", 0)
        waiting = c.suggested - accepted - rejected
        out.append(ngettext(
            "The program suggested {n} coding from the codebook's definitions, keywords and examples, and learned from every acceptance and rejection.",
            "The program suggested {n} codings from the codebook's definitions, keywords and examples, and learned from every acceptance and rejection.",
            c.suggested, lang,
        ).format(n=count(c.suggested, lang)))
        decided = ngettext("Of the suggestions, {accepted} was accepted and {rejected} rejected",
                           "Of the suggestions, {accepted} were accepted and {rejected} rejected", accepted, lang).format(
            accepted=number_in_words(accepted, lang, neuter=True, stressed=True, zero=_("none", lang)),
            rejected=number_in_words(rejected, lang, neuter=True, stressed=True, zero=_("none", lang)))
        if waiting:
            decided += ngettext(", while {n} has not been reviewed", ", while {n} have not been reviewed", waiting, lang).format(
                n=number_in_words(waiting, lang, neuter=True, stressed=True))
        out.append(decided + ".")
    else:
        out.append(_("No automatic suggestions were used.", lang))
    out.append(_("A coded segment is a passage with a code; an interviewee counts under a code when at least one of "
                 "their passages has the code or one of the codes below it.", lang))
    return [" ".join(out)]


def _version() -> str:
    try:
        return _metadata.version("qualcode")
    except _metadata.PackageNotFoundError:
        return ""


def method_paragraphs(material: Material, coding: Coding, quoting: Quoting, scope: Sequence[str] = (),
                      lang: str | None = None) -> tuple[str, ...]:
    """The method section's paragraphs: material, coding (with scope), quotes."""
    lang = resolve_lang(lang)
    paragraphs = [" ".join(material_sentences(material, lang)), " ".join([*coding_sentences(coding, lang), *scope])]
    paragraphs.append(" ".join(quoting_sentences(quoting, lang)))
    return tuple(p for p in paragraphs if p)

"""From a project to :class:`ReportData`: every table, the quote selection and the method text, once.

Nothing here writes a file; :func:`qualcode.report.build_report` draws the
charts and hands the data to each exporter.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Mapping, Sequence

import pandas as pd

from qualcode.codebook.model import Codebook
from qualcode.errors import ProjectError
from qualcode.i18n import gettext as _, join_list, resolve_lang, use_language
from qualcode.project import Project
from qualcode.report import facts
from qualcode.report.data import ReportData, ReportScope
from qualcode.report.frequencies import code_frequencies, crosstab, group_sizes, participants_table
from qualcode.report.method import about_coding, method_paragraphs, scope_sentences
from qualcode.report.privacy import Redactor, redactor_for
from qualcode.report.quotes import coded_spans, quote_table
from qualcode.report.selection import shortlist
from qualcode.report.wording import role_label

PSEUDONYMS = {"tag": "tag", "role": "report-role"}  # --pseudonyms -> anonymiser operator


def collect(
    project: Project,
    *,
    lang: str | None = None,
    anonymise: bool = True,
    redactor: Redactor | None = None,
    pseudonyms: str = "tag",
    status: str | Sequence[str] | None = "accepted",
    coder: str | Sequence[str] | None = None,
    codes: Iterable[str] | None = None,
    roles: Iterable[str] | None = None,
    documents: Iterable[int | str] | None = None,
    per_code: int = 3,
    max_per_participant: int = 1,
    repeats: bool = False,
    with_participant: bool = False,
    clean: bool = True,
    widen: bool = True,
    title: str | None = None,
    coder_notes: Mapping[str, str] | None = None,
    agreement: str | None = None,
    progress: bool = False,
) -> ReportData:
    """Compute the tables of a report (no files written).

    ``codes`` (a parent includes the codes below it), ``roles`` and
    ``documents`` (ids or names) limit what the report covers; the
    percentages are then of the interviewees in scope, and the method section
    says what was left out. ``pseudonyms`` is "tag" ("[Person 3]") or "role"
    ("[leder]", "[navn]"). ``agreement`` replaces the measured agreement
    sentence of the method section (it is measured, Krippendorff's alpha,
    when two or more people coded).
    """
    lang = resolve_lang(lang)
    with use_language(lang):
        return _collect(
            project, lang=lang, anonymise=anonymise, redactor=redactor, pseudonyms=pseudonyms, status=status,
            coder=coder, scope=ReportScope(_strings(codes), _strings(roles), _strings(documents)), per_code=per_code,
            max_per_participant=max_per_participant, repeats=repeats, with_participant=with_participant, clean=clean,
            widen=widen, title=title, coder_notes=coder_notes, agreement=agreement, progress=progress,
        )


def _collect(project: Project, *, lang: str, anonymise: bool, redactor: Redactor | None, pseudonyms: str, status,
             coder, scope: ReportScope, per_code: int, max_per_participant: int, repeats: bool, with_participant: bool,
             clean: bool, widen: bool, title: str | None, coder_notes, agreement, progress: bool) -> ReportData:
    full = project.codebook.current()
    if not len(full):
        raise ProjectError(_("the project has no codebook: apply one before writing a report"))
    if pseudonyms not in PSEUDONYMS:
        raise ProjectError(_("pseudonyms {value!r}: use {choices}").format(value=pseudonyms, choices=join_list(list(PSEUDONYMS))))
    codebook = scoped_codebook(full, scope.codes)
    people = _people_in_scope(project, scope)
    redactor = redactor or redactor_for(project, anonymise=anonymise, operator=PSEUDONYMS[pseudonyms])
    # The interviews' own municipalities get the first pseudonyms (A, B, C) before any text is anonymised.
    redactor.municipalities_first(dict.fromkeys(m for m in people["municipality"] if m))
    spans = coded_spans(project, status=status, coder=coder, codebook=full, codes=list(codebook.ids()))
    spans = spans[spans["document_id"].isin(set(people["document_id"]))]
    if scope.roles:
        spans = spans[spans["role"].isin(set(scope.roles))]
    spans = spans.reset_index(drop=True)
    # Only interviews a quote comes from need anonymising (by id: texts are read one at a time).
    redactor.prepare(sorted(set(spans["document_id"].tolist())), progress=progress)
    quotes = quote_table(
        project, redactor=redactor, status=status, coder=coder, clean=clean, codes=list(codebook.ids()),
        roles=list(scope.roles) or None, documents=list(people["document_id"]) if scope.documents or scope.roles else None,
        with_participant=with_participant, widen=widen, codebook=full, lang=lang,
    )
    selected = shortlist(quotes, per_code=per_code, max_per_participant=max_per_participant, repeats=repeats)
    total = _("Total")
    roles_plural = lambda role: role_label(role, lang, plural=True)  # noqa: E731
    coding = facts.coding(
        project, spans, codebook_name=full.name, codebook_version=full.version, code_ids=codebook.ids() if scope.codes else (),
        status=status, coder_filter=_strings(coder), notes=coder_notes, agreement_text=agreement,
    )
    material = facts.material(people, project.documents.headers(), redactor.municipality)
    quoting = facts.Quoting(anonymised=redactor.anonymised, pseudonyms=pseudonyms, cleaned=clean, widened=widen,
                            repeats=repeats, with_participant=with_participant)
    headers = {h.id: h for h in project.documents.headers()}
    scope_text = scope_sentences(
        scope, [codebook.get(c).name for c in scope.codes if c in codebook],
        [redactor.document(headers[i]) for i in people["document_id"]] if scope.documents else (), lang,
    )
    return ReportData(
        title=title or _("Barriers and drivers: themes and quotes"),
        lang=lang,
        codebook=codebook,
        method=method_paragraphs(material, coding, quoting, scope_text, lang),
        about_coding=tuple(about_coding(coding, lang)),
        frequencies=code_frequencies(project, spans=spans, codebook=codebook, participants=people),
        by_role=crosstab(project, "role", spans=spans, codebook=codebook, total_label=total, rename=roles_plural,
                         participants=people),
        by_municipality=crosstab(project, "municipality", spans=spans, codebook=codebook, total_label=total,
                                 rename=redactor.municipality, participants=people),
        role_sizes=group_sizes(project, "role", rename=roles_plural, participants=people),
        municipality_sizes=group_sizes(project, "municipality", rename=redactor.municipality, participants=people),
        quotes=quotes,
        selected=selected,
        personal_data_note=redactor.personal_data_note(lang),
        total_label=total,
        scope=scope,
    )


def scoped_codebook(codebook: Codebook, codes: Sequence[str]) -> Codebook:
    """The codes a report covers: those named and every code below them; all codes if none are named.

    A named code whose parent is not covered becomes a top-level theme of the report.
    """
    if not codes:
        return codebook
    unknown = [c for c in codes if c not in codebook]
    if unknown:
        raise ProjectError(_("unknown code {codes}; the codebook's top-level codes are {roots}").format(
            codes=join_list(unknown), roots=join_list([c.id for c in codebook.roots()])))
    keep: set[str] = set()
    for code in codes:
        keep.add(code)
        keep.update(c.id for c in codebook.descendants(code))
    chosen = tuple(replace(c, parent_id=c.parent_id if c.parent_id in keep else None) for c in codebook.codes if c.id in keep)
    return replace(codebook, codes=chosen)


def _people_in_scope(project: Project, scope: ReportScope) -> pd.DataFrame:
    """The interviews (one row each) the report covers, by document and by the interviewee's role."""
    people = participants_table(project)
    if scope.documents:
        names = {h.id: h.name for h in project.documents.headers()}
        wanted = set(scope.documents)
        known = {str(i) for i in names} | set(names.values())
        unknown = [d for d in scope.documents if d not in known]
        if unknown:
            raise ProjectError(_("no interview {names} in the project").format(names=join_list(unknown)))
        people = people[[str(i) in wanted or names[i] in wanted for i in people["document_id"]]]
    if scope.roles:
        people = people[people["role"].isin(set(scope.roles))]
    return people.reset_index(drop=True)


def _strings(values) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, (str, int)):
        return (str(values),)
    return tuple(str(v) for v in values)

"""CLI: ``qualcode search`` (keyword in context) and ``qualcode autocode`` (code every hit; undo a run).

Hits are printed on the user's own terminal with the interview text, as a
search in any QDA program shows them; nothing is written to a file.
"""

from __future__ import annotations


import click

from qualcode.cli.common import PROJECT, UserError, default_coder, lang_option, open_existing_project, resolve_document
from qualcode.cli.translated import TranslatedCommand
from qualcode.i18n import N_, format_number, gettext as _, ngettext, quote

UNIT_CHOICE = click.Choice(["sentence", "turn", "hit"])
UNIT_NAMES = {"sentence": N_("sentence"), "turn": N_("turn"), "hit": N_("hit")}


def _filters(f):
    f = click.option("--regex", is_flag=True, help=N_("PATTERN is a regular expression (case-insensitive), not words."))(f)
    f = click.option("--role", default=None, help=N_("Only turns of speakers with this role ('interviewer' for the interviewer)."))(f)
    f = click.option("--doc", default=None, help=N_("Only this document (name or id)."))(f)
    return f


@click.command("search", cls=TranslatedCommand,
               help=N_("Find PATTERN in the interviews and print each hit in context.\n\n"
                       "Words are found in all their forms (\"budget\" finds \"budgettet\" and \"budgetter\");"
                       " \"budget*\" also finds compounds, several words are a phrase (\"bakke op\")."),
               epilog='qualcode search budget --project studie.qcp --role leder\n'
                      'qualcode search "ikke (tid|ressourcer)" --regex --project studie.qcp')
@click.argument("pattern")
@click.option("--project", "-p", "project_path", required=True, type=PROJECT, help=N_("Project file (.qcp) or postgresql:// URL."))
@_filters
@click.option("--code", default=None, help=N_("Only inside the accepted codings of this code (and its children)."))
@click.option("--coder", default=None, help=N_("With --code: only this coder's codings."))
@click.option("--limit", type=click.IntRange(1), default=None, help=N_("Print at most this many hits."))
@lang_option
def search_command(pattern, project_path, regex, role, doc, code, coder, limit, lang):
    from qualcode.search import kwic, search

    with open_existing_project(project_path, read_only=True) as project:
        document_id = resolve_document(project, doc) if doc else None
        if code is not None and code not in set(project.codebook.code_ids()):
            raise UserError(_("unknown code id {code}").format(code=quote(code)))
        hits = search(project, pattern, regex=regex, role=role, code=code, coder=coder, document_id=document_id)
        text, current = "", None
        for hit in hits[:limit]:
            if hit.document_id != current:
                current, text = hit.document_id, project.documents.get(hit.document_id).text
            left, match, right = kwic(text, hit.start, hit.end, within=(hit.turn_start, hit.turn_end))
            who = f"{hit.speaker} ({hit.role})" if hit.role else hit.speaker
            click.echo(f"{hit.document}  {who}  {hit.start}-{hit.end}  {left:>41}[{click.style(match, bold=True)}]{right}")
    click.echo(hits_line(len(hits), len({h.document_id for h in hits})))
    if limit is not None and len(hits) > limit:
        click.echo(_("(the first {shown} are shown)").format(shown=format_number(limit)))


def hits_line(hits: int, interviews: int) -> str:
    """The last line of a search: how many hits, in how many interviews."""
    if not hits:
        return _("No hits.")
    return _("{hits} in {interviews}.").format(
        hits=ngettext("{n} hit", "{n} hits", hits).format(n=format_number(hits)),
        interviews=ngettext("{n} interview", "{n} interviews", interviews).format(n=format_number(interviews)))


@click.command("autocode", cls=TranslatedCommand,
               help=N_("Code every hit of PATTERN with --code, as one run that --undo can take back."),
               epilog='qualcode autocode "budget*" --code barriere.oekonomi --project studie.qcp --coder mette\n'
                      'qualcode autocode --runs --project studie.qcp\n'
                      'qualcode autocode --undo 3 --project studie.qcp')
@click.argument("pattern", required=False)
@click.option("--project", "-p", "project_path", required=True, type=PROJECT, help=N_("Project file (.qcp) or postgresql:// URL."))
@click.option("--code", "code_id", default=None, help=N_("The code to give every hit."))
@click.option("--coder", default=None, help=N_("Whose codings they are (default: QUALCODE_CODER or the login name)."))
@click.option("--unit", type=UNIT_CHOICE, default="sentence", show_default=True,
              help=N_("Code the sentence, the whole turn, or only the hit."))
@click.option("--accept", is_flag=True, help=N_("Store the codings accepted (default: as suggestions to review)."))
@_filters
@click.option("--within", "within_code", default=None, help=N_("Only hits inside the accepted codings of this code."))
@click.option("--include-interviewer", is_flag=True, help=N_("Also code the interviewer's turns."))
@click.option("--undo", "undo_run", type=int, default=None, help=N_("Undo the autocode run with this number."))
@click.option("--runs", "list_runs", is_flag=True, help=N_("List the autocode runs."))
@lang_option
def autocode_command(pattern, project_path, code_id, coder, unit, accept, regex, role, doc, within_code,
                     include_interviewer, undo_run, list_runs, lang):
    from qualcode.search import autocode, undo_autocode

    coder = coder or default_coder()
    with open_existing_project(project_path) as project:
        if list_runs:
            _print_runs(project)
            return
        if undo_run is not None:
            if pattern is not None:
                raise UserError(_("--undo takes no PATTERN"))
            ids = undo_autocode(project, undo_run, coder)
            click.echo(ngettext("Run {run} undone: {n} coding withdrawn.", "Run {run} undone: {n} codings withdrawn.",
                                len(ids)).format(run=undo_run, n=format_number(len(ids))))
            return
        if pattern is None or code_id is None:
            raise UserError(_("give PATTERN and --code (or --undo RUN, or --runs)"))
        document_id = resolve_document(project, doc) if doc else None
        result = autocode(project, pattern, code_id, coder, unit=unit, accept=accept, regex=regex, role=role,
                          within_code=within_code, document_id=document_id, include_interviewer=include_interviewer)
        name = project.codebook.current().get(code_id).name
        if result.run is None:
            if result.hits:
                click.echo(_("Nothing new: every hit was already coded {code} by {coder}.").format(code=quote(name), coder=coder))
            else:
                click.echo(_("No hits for {pattern}; nothing was coded.").format(pattern=quote(pattern)))
            return
        how = _("accepted") if accept else _("as suggestions to review")
        click.echo(_("Run {run}: {coded} coded {code} {how} ({hits}).").format(
            run=result.run.id, coded=_units(unit, result.coded), code=quote(name), how=how,
            hits=ngettext("{n} hit", "{n} hits", len(result.hits)).format(n=format_number(len(result.hits)))))
        if result.already:
            click.echo(ngettext("{n} span was already coded and was left alone.",
                                "{n} spans were already coded and were left alone.", result.already).format(n=format_number(result.already)))
        click.echo(_("Undo with: qualcode autocode --undo {run} --project {project}").format(run=result.run.id, project=project_path))


def _units(unit: str, n: int) -> str:
    if unit == "sentence":
        return ngettext("{n} sentence", "{n} sentences", n).format(n=format_number(n))
    if unit == "turn":
        return ngettext("{n} turn", "{n} turns", n).format(n=format_number(n))
    return ngettext("{n} hit", "{n} hits", n).format(n=format_number(n))


def _print_runs(project) -> None:
    runs = project.autocode_runs.runs()
    if not runs:
        click.echo(_("No autocode runs in the project yet."))
    for r in runs:
        state = _("undone {at} by {who}").format(at=r.undone_at, who=r.undone_by) if r.undone_at else (
            _("accepted") if r.status == "accepted" else _("suggestions"))
        mode = _("regular expression") if r.mode == "regex" else _("words")
        click.echo(f"{r.id}\t{r.created_at}\t{r.coder}\t{quote(r.pattern)} ({mode}, {_(UNIT_NAMES[r.unit])})\t{r.code_id}\t"
                   + ngettext("{n} coding", "{n} codings", r.codings).format(n=format_number(r.codings)) + f"\t{state}")

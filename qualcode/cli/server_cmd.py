"""CLI: ``qualcode server init|add|remove|blind|push|pull`` (a shared project on PostgreSQL).

Passwords are typed at a prompt (``--set-password``) and sent hashed, never
given on a command line; connecting uses libpq's own sources (``~/.pgpass``,
``PGPASSFILE``, ``PGPASSWORD``).
"""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import PROJECT, lang_option
from qualcode.i18n import gettext as _
from qualcode.i18n import ngettext
from qualcode.store.postgres import display_url
from qualcode.store.server import PROJECT_ROLES


def _password(name: str, wanted: bool) -> str | None:
    if not wanted:
        return None
    return click.prompt(_("Password for {name}").format(name=name), hide_input=True,
                        confirmation_prompt=_("Repeat the password for {name}").format(name=name))


@click.group("server")
def server_group() -> None:
    """A team's shared project on a PostgreSQL server: set-up, people, moving a project to and from it."""


@server_group.command("init")
@click.argument("url")
@click.option("--lead", required=True, help="The project's first lead (a database user, created if new).")
@click.option("--set-password", is_flag=True, help="Ask for the lead's password (typed, never on the command line).")
@lang_option
def init_command(url, lead, set_password, lang):
    """Create the project's schema and roles in an existing, empty database (run as its owner); again to upgrade."""
    from qualcode.team.server import init_server

    schema, groups = init_server(url, lead, _password(lead, set_password))
    click.echo(_("Project ready at {url} (schema {schema}); roles {roles}; lead: {lead}").format(
        url=display_url(url), schema=schema, roles=", ".join(groups.values()), lead=lead))


@server_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(PROJECT_ROLES), required=True, help="coder, lead or reader.")
@click.option("--project", "-p", "url", required=True, type=PROJECT, help="The project's postgresql:// URL.")
@click.option("--set-password", is_flag=True, help="Ask for the person's password (typed, never on the command line).")
@lang_option
def add_command(name, role, url, set_password, lang):
    """Give a person (a database user, created if new) a role in the project; a lead's job."""
    from qualcode.team.server import add_person

    add_person(str(url), name, role, _password(name, set_password))
    click.echo(_("{name} is now {role} in {url}").format(name=name, role=_role(role), url=display_url(str(url))))


@server_group.command("remove")
@click.argument("name")
@click.option("--project", "-p", "url", required=True, type=PROJECT, help="The project's postgresql:// URL.")
@lang_option
def remove_command(name, url, lang):
    """Take a person out of the project; their codings stay."""
    from qualcode.team.server import remove_person

    remove_person(str(url), name)
    click.echo(_("{name} has no role in {url} any more; their codings are kept").format(name=name, url=display_url(str(url))))


@server_group.command("blind")
@click.argument("state", type=click.Choice(["on", "off"]))
@click.option("--project", "-p", "url", required=True, type=PROJECT, help="The project's postgresql:// URL.")
@lang_option
def blind_command(state, url, lang):
    """Blind coding on or off: coders see only their own codings while it is on (enforced by the database)."""
    from qualcode.team.server import set_blind

    set_blind(str(url), state == "on")
    click.echo(_("Blind coding is on: coders see only their own codings") if state == "on"
               else _("Blind coding is off: coders see each other's codings"))


@server_group.command("push")
@click.argument("file", type=click.Path(path_type=Path))
@click.argument("url")
@lang_option
def push_command(file, url, lang):
    """Upload a project file (and its pseudonym key) into a new, empty project on the server."""
    from qualcode.team.server import push

    report = push(file, url)
    click.echo(_summary(report, _("Pushed {file} to {url}").format(file=file, url=display_url(url))))


@server_group.command("pull")
@click.argument("url")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--no-key", is_flag=True, help="Do not write the pseudonym key beside the snapshot (for delivery).")
@lang_option
def pull_command(url, file, no_key, lang):
    """Write a complete snapshot of the server project to a new project file (a lead's job)."""
    from qualcode.team.server import pull

    report, key = pull(url, file, with_key=not no_key)
    click.echo(_summary(report, _("Snapshot of {url} written to {file}").format(url=display_url(url), file=file)))
    if key is not None:
        click.echo(_("Pseudonym key written to {key} (keep it apart from the snapshot when you deliver it)").format(key=key))


def _summary(report, head: str) -> str:
    documents, codings = report.count("documents"), report.count("codings")
    return head + ": " + ngettext("{n} document", "{n} documents", documents).format(n=documents) + ", " + \
        ngettext("{n} coding", "{n} codings", codings).format(n=codings) + ", " + \
        ngettext("{n} table", "{n} tables", len(report.rows)).format(n=len(report.rows))


def _role(role: str) -> str:
    return {"coder": _("coder"), "lead": _("lead"), "reader": _("reader")}[role]

"""``kcity user …`` and ``kcity audit``: accounts and the audit log of the engagement store (``KCITY_DATABASE_URL``).

Whoever runs these commands reaches the database directly, so they act as an administrator (recorded in the audit
log as ``<login> (command line)``). Passwords are read from a prompt, or from standard input with ``--password-stdin``.
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from app.adapters.storage import Repository
    from app.core.access import Actor

user_app = typer.Typer(help="Accounts of a team server (without any, the wizard is single-user with no sign-in).", no_args_is_help=True,
                       rich_markup_mode=None)

Name = Annotated[str, typer.Argument(help="Account name (how people sign in and how the audit log names them).")]
RoleOption = Annotated[str, typer.Option("--role", help="consultant, reviewer or admin.")]
PasswordStdin = Annotated[bool, typer.Option("--password-stdin", help="Read the password from standard input (first line).")]


def _repo() -> Repository:
    from app import services
    from app.settings import Settings

    return services.open_repository(Settings.from_env().database_url)


def _console() -> Actor:
    from app.core.access import Actor

    try:
        login = getpass.getuser()
    except (KeyError, OSError):
        login = "operator"
    return Actor(login, "admin", console=True)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password again: "):
        raise typer.BadParameter("the two passwords differ", param_hint="password")
    return first


def user_add(name: Name, role: RoleOption = "consultant",
             email: Annotated[str | None, typer.Option("--email", help="E-mail address the identity provider (OIDC) reports.")] = None,
             sso_only: Annotated[bool, typer.Option("--sso-only", help="No password: signs in through the identity provider only.")] = False,
             password_stdin: PasswordStdin = False) -> None:
    """Add an account (the first one turns on sign-in for the wizard)."""
    from app import services_team

    password = None if sso_only else _password(password_stdin)
    record = services_team.add_user(_repo(), name, role, password, email, actor=_console())
    typer.echo(f"added {record.name} ({record.role})")


def user_list() -> None:
    """Every account with its role and whether it is active."""
    from app import services_team

    for a in services_team.list_users(_repo(), actor=_console()):
        sign_in = "password" if a.password_hash else "identity provider"
        typer.echo(f"{a.name}\t{a.role}\t{'active' if a.active else 'disabled'}\t{a.email or '-'}\t{sign_in}")


def user_set(name: Name, role: Annotated[str | None, typer.Option("--role", help="New role.")] = None,
             password: Annotated[bool, typer.Option("--password", help="Set a new password (prompt).")] = False,
             password_stdin: PasswordStdin = False,
             disable: Annotated[bool, typer.Option("--disable", help="Disable the account (it can no longer sign in).")] = False,
             enable: Annotated[bool, typer.Option("--enable", help="Enable it again.")] = False) -> None:
    """Change an account's role or password, or disable it (accounts are never deleted: the audit log names them)."""
    from app import services_team

    new_password = _password(password_stdin) if password or password_stdin else None
    active = False if disable else True if enable else None
    record = services_team.change_user(_repo(), name, role=role, password=new_password, active=active, actor=_console())
    typer.echo(f"{record.name}: {record.role}, {'active' if record.active else 'disabled'}")


def audit(engagement: Annotated[str | None, typer.Option("--engagement", help="Only this engagement's entries.")] = None,
          limit: Annotated[int, typer.Option("--limit", help="The newest N entries (0: all).")] = 50,
          output: Annotated[Path | None, typer.Option("-o", "--output", help="Write a .csv or .xlsx file instead of printing.")] = None) -> None:
    """Who did what and when: creations, changes field by field, approvals, sends, archives, deletions, comments."""
    from app import services_team

    entries = services_team.audit_log(_repo(), engagement, limit or None, actor=_console())
    if output is not None:
        if output.suffix.lower() == ".xlsx":
            output.write_bytes(services_team.audit_xlsx(entries))
        else:
            output.write_text(services_team.audit_csv(entries), encoding="utf-8")
        typer.echo(f"wrote {len(entries)} entries to {output}")
        return
    for e in reversed(entries):  # oldest first, as a log reads
        typer.echo(f"{e.at:%Y-%m-%d %H:%M:%S}  {e.actor or '(local user)'}  {e.action}  {e.engagement_id or '-'}  {e.summary}")
        for change in e.changes:
            typer.echo(f"    {change.get('field')}: {change.get('before')!r} → {change.get('after')!r}")

"""``homestack explain``: what a policy rule checks, why, and how to fix a finding."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from homestack.cli.context import CliContext
from homestack.cli.errors import InvalidArgument, reported
from homestack.cli.root import app
from homestack.cli.tables import print_table
from homestack.policy import RULES, Rule, Scope, rule


@app.command()
def explain(
    ctx: typer.Context,
    rule_id: Annotated[
        str | None, typer.Argument(help="A rule id like HS-AUTH-001 (all rules when omitted).")
    ] = None,
) -> None:
    """Explain a policy rule; without an id, list every rule."""
    cli: CliContext = ctx.obj
    with reported(cli.err, cli.debug, as_json=cli.json):
        found = None if rule_id is None else _rule(rule_id)
    if cli.json:
        typer.echo(json.dumps([_as_json(r) for r in RULES] if found is None
                              else _as_json(found), indent=2))
    elif found is None:
        _table(cli)
    else:
        _explain(cli, found)


def _rule(rule_id: str) -> Rule:
    try:
        return rule(rule_id)
    except KeyError:
        raise InvalidArgument(f"unknown rule {rule_id}",
                              hint="Run `homestack explain` to list the rules") from None


def _as_json(found: Rule) -> dict[str, object]:
    return {"id": found.id, "severity": found.severity.value, "scope": found.scope.value,
            "title": found.title, "rationale": found.rationale, "fix": found.fix,
            "silenceable": found.silenceable}


def _table(cli: CliContext) -> None:
    table = Table()
    for column in ("rule", "severity", "scope", "checks"):
        table.add_column(column)
    for known in RULES:
        table.add_row(known.id, known.severity.value, known.scope.value, escape(known.title))
    print_table(cli.console, table)


def _explain(cli: CliContext, found: Rule) -> None:
    cli.console.print(f"[bold]{found.id}[/] ({found.severity.value}): {escape(found.title)}")
    cli.console.print(f"[bold]why:[/] {escape(found.rationale)}")
    cli.console.print(f"[bold]fix:[/] {escape(found.fix)}")
    cli.console.print("[bold]scope:[/] " + (
        "one Stack's own objects and the Site" if found.scope is Scope.STACK else
        "the whole homelab (it compares Stacks or reads what another Stack declares)"))
    if found.silenceable:
        cli.console.print(
            f"[bold]silence:[/] ignore=(\"{found.id}: <reason>\",) on the Resource, or the "
            f"annotation homestack.dev/ignore: \"{found.id}: <reason>\""
        )
    else:
        cli.console.print("[bold]silence:[/] this rule cannot be silenced")

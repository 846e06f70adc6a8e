"""``homestack validate``: load, render, govern and order the homelab, then run the policy rules.

Exit 0 when no error finding is left (warnings and silenced findings do not block), 1 when any
non-silenced error remains, 3 when the homelab's files are invalid.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from homestack.cli.checked import checked_homelab
from homestack.cli.context import CliContext
from homestack.cli.errors import ExitCode, reported
from homestack.cli.root import app
from homestack.cli.tables import print_table
from homestack.engine import Desired
from homestack.policy import Finding, Severity, blocking

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow"}


def findings_table(findings: list[Finding]) -> Table:
    """The findings as a rich table (silenced ones left out)."""
    table = Table(show_lines=False, expand=False)
    for column in ("rule", "severity", "stack", "address", "message", "fix"):
        table.add_column(column, overflow="fold")
    for finding in findings:
        if finding.silenced:
            continue
        style = _STYLE[finding.severity]
        table.add_row(
            finding.rule, f"[{style}]{finding.severity.value}[/]", escape(finding.stack),
            escape(finding.address), escape(finding.message), escape(finding.fix),
        )
    return table


@app.command()
def validate(
    ctx: typer.Context,
    offline: Annotated[bool, typer.Option(
        "--offline", help="Skip the checks that contact Vault (secret references).")] = False,
) -> None:
    """Check the homelab: files load, Stacks render, no cycle, every policy rule passes, and
    (unless --offline, when the Site configures Vault) every secret reference resolves."""
    cli: CliContext = ctx.obj
    with reported(cli.err, cli.debug, as_json=cli.json):
        checked = checked_homelab(cli, cluster_aware=False)
        wanted, findings = checked.desired, list(checked.findings)
        unresolved = [] if offline else unresolved_references(wanted)
    failing = blocking(findings)
    summary: dict[str, Any] = {
        "unresolved_references": unresolved,
        "stacks": len(wanted.resources),
        "resources": sum(len(r) for r in wanted.resources.values()),
        "waves": len(wanted.graph.waves),
        "findings": [finding.to_json() for finding in findings],
    }
    if cli.json:
        typer.echo(json.dumps(summary, indent=2))
    else:
        _print(cli, summary, findings, failing)
        for message in unresolved:
            cli.console.print(f"[bold red]error[/]: {escape(message)}")
    if failing or unresolved:
        raise typer.Exit(ExitCode.FAILED)


def unresolved_references(wanted: Desired) -> list[str]:
    """A message per secret reference Vault cannot resolve (none when Vault is not set up)."""
    site = wanted.homelab.site
    if site.vault is None:
        return []
    from homestack.providers.vault import check_references, open_vault  # hvac only if needed

    target = open_vault(site, wanted.resources)
    try:
        seen = target.observe([r for r in wanted.all_resources() if target.handles(r)], [])
        return [change.failure.message for stack in sorted(wanted.resources)
                for change in check_references(stack, target.catalog, seen)
                if change.failure is not None]
    finally:
        target.close()


def _print(
    cli: CliContext, summary: dict[str, Any], findings: list[Finding], failing: list[Finding]
) -> None:
    shown = [finding for finding in findings if not finding.silenced]
    if shown:
        print_table(cli.console, findings_table(findings))
    warnings = sum(1 for f in shown if f.severity is Severity.WARNING)
    silenced = len(findings) - len(shown)
    counts = (f"{summary['stacks']} Stacks, {summary['resources']} Resources, "
              f"{summary['waves']} waves; {len(failing)} errors, {warnings} warnings, "
              f"{silenced} silenced")
    if failing:
        cli.console.print(f"[bold red]invalid[/]: {counts}")
    else:
        cli.console.print(f"[green]valid[/]: {counts}")

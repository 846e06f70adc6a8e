"""``homestack validate``: load, render and order the whole homelab; report what is wrong."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from homestack.cli.app import app
from homestack.cli.context import CliContext
from homestack.cli.errors import reported
from homestack.engine import desired


@app.command()
def validate(
    ctx: typer.Context,
    json_output: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Check the homelab: every file loads, every Stack renders, the graph has no cycle."""
    cli: CliContext = ctx.obj
    with reported(cli.err, cli.debug):
        wanted = desired(cli.homelab())
    summary = {
        "stacks": len(wanted.resources),
        "resources": sum(len(r) for r in wanted.resources.values()),
        "waves": len(wanted.graph.waves),
        "findings": [],
    }
    if json_output or cli.json:
        typer.echo(json.dumps(summary, indent=2))
        return
    cli.console.print(
        f"[green]valid[/]: {summary['stacks']} Stacks, {summary['resources']} Resources, "
        f"{summary['waves']} waves"
    )

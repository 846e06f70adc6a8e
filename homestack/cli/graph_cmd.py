"""``homestack graph``: the Stack DAG with its waves."""

from __future__ import annotations

from typing import Annotated

import typer

from homestack.cli.context import CliContext
from homestack.cli.errors import reported
from homestack.cli.root import app
from homestack.engine import order
from homestack.graph import GraphFormat, format_graph


@app.command()
def graph(
    ctx: typer.Context,
    fmt: Annotated[
        GraphFormat, typer.Option("--format", "-f", help="Output format.")
    ] = GraphFormat.TEXT,
) -> None:
    """Print the Stack dependency graph; wave 0 holds the Stacks that need nothing."""
    cli: CliContext = ctx.obj
    with reported(cli.err, cli.debug, as_json=cli.json):
        dag = order(cli.homelab())
    if cli.json:
        fmt = GraphFormat.JSON
    typer.echo(format_graph(dag, fmt))

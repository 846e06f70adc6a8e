"""The ``homestack`` command: global options and the subcommands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from homestack.cli.context import CliContext
from homestack.cli.errors import HomestackGroup

app = typer.Typer(
    name="homestack",
    help="Run a homelab as code: validate, render, graph, plan and apply.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    cls=HomestackGroup,
)


@app.callback()
def _options(
    ctx: typer.Context,
    directory: Annotated[
        Path, typer.Option("-C", "--directory", help="The homelab repository.", show_default=".")
    ] = Path("."),
    json_output: Annotated[
        bool, typer.Option("--json", help="Machine-readable output.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
) -> None:
    ctx.obj = CliContext(root=directory, json=json_output, debug=debug)

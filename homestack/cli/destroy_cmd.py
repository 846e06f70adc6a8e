"""``homestack destroy STACK...``: every object of the named Stacks deleted, dependents first."""

from __future__ import annotations

import sys
from dataclasses import replace
from typing import Annotated

import typer

from homestack.cli.checked import checked_homelab
from homestack.cli.context import CliContext
from homestack.cli.engine_run import ContextOption, JsonOption, TargetOption, emit, session
from homestack.cli.errors import EXIT_CODES_HELP, ExitCode, reported
from homestack.cli.root import app
from homestack.engine import EngineOptions, destroy
from homestack.providers.proxmox import PveOptions


@app.command("destroy", epilog=EXIT_CODES_HELP)
def destroy_command(
    ctx: typer.Context,
    stacks: Annotated[list[str], typer.Argument(help="Stacks to destroy.")],
    target: TargetOption = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Destroy without asking.")] = False,
    allow_data_loss: Annotated[
        bool, typer.Option("--allow-data-loss", help="Allow deleting PVCs, Namespaces, DBs.")
    ] = False,
    json_output: JsonOption = False,
    context: ContextOption = None,
) -> None:
    """Delete every object of the named Stacks, dependents first."""
    cli: CliContext = ctx.obj
    if not yes and not sys.stdin.isatty():
        cli.err.print("refusing to destroy without a TTY; pass --yes")
        raise typer.Exit(ExitCode.FAILED)
    if not yes:
        typer.confirm(f"Destroy {', '.join(stacks)}?", abort=True)
    with reported(cli.err, cli.debug):
        wanted = checked_homelab(cli, cluster_aware=False).desired
        options = replace(EngineOptions.default(), allow_data_loss=allow_data_loss)
        pve = PveOptions(allow_data_loss=allow_data_loss)
        with session(cli, wanted, target, context, pve) as (store, targets):
            result = destroy(wanted, targets, store, options, stacks)
    emit(cli, result, json_output)
    if result.failed:
        raise typer.Exit(ExitCode.FAILED)

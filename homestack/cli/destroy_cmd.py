"""``homestack destroy STACK...``: a destroy plan (every object of the named Stacks, dependents
first), shown, confirmed, then executed by apply."""

from __future__ import annotations

import sys
from dataclasses import replace
from typing import Annotated

import typer

from homestack.cli.checked import checked_homelab
from homestack.cli.context import CliContext
from homestack.cli.engine_run import (
    ContextOption,
    DependentsOption,
    TargetOption,
    emit,
    session,
)
from homestack.cli.errors import EXIT_CODES_HELP, ExitCode, Refused, reported
from homestack.cli.root import app
from homestack.cli.show import show_changeset, stack_progress
from homestack.engine import EngineOptions, apply, plan_destroy
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
    with_dependents: DependentsOption = False,
    context: ContextOption = None,
) -> None:
    """Delete every object of the named Stacks, dependents first; shows each delete first.

    A Stack another Stack needs is refused unless that one goes too (--with-dependents).
    """
    cli: CliContext = ctx.obj
    with reported(cli.err, cli.debug, as_json=cli.json):
        wanted = checked_homelab(cli, cluster_aware=False).desired
        options = replace(EngineOptions.default(), allow_data_loss=allow_data_loss,
                          confirm=False)
        pve = PveOptions(allow_data_loss=allow_data_loss)
        with session(cli, wanted, target, context, pve) as (store, targets):
            planned = plan_destroy(wanted, targets, store, options, stacks,
                                   with_dependents=with_dependents)
            planned = replace(planned, context=context or "")
            if not yes:
                show_changeset(cli.err if cli.json else cli.console, planned)
                if not planned.has_changes:
                    if cli.json:
                        emit(cli, planned)
                    return
                if not sys.stdin.isatty():
                    raise Refused("refusing to destroy without a TTY to confirm on",
                                  hint="Pass --yes to destroy without asking")
                typer.confirm(f"Destroy {', '.join(s.stack for s in planned.stacks)}?",
                              abort=True)
            with stack_progress(cli.err, len(planned.stacks)) as advance:
                result = apply(wanted, targets, store, options, planned, observer=advance)
    emit(cli, result)
    if result.failed:
        raise typer.Exit(ExitCode.FAILED)

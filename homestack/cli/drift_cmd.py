"""``homestack drift``: live, recorded and desired compared; exit 2 when they differ."""

from __future__ import annotations

import typer

from homestack.cli.checked import checked_homelab, with_notes
from homestack.cli.context import CliContext
from homestack.cli.engine_run import (
    ContextOption,
    StacksArgument,
    TargetOption,
    emit,
    session,
)
from homestack.cli.errors import EXIT_CODES_HELP, ExitCode, reported
from homestack.cli.root import app
from homestack.engine import EngineOptions, drift, drift_count


@app.command("drift", epilog=EXIT_CODES_HELP)
def drift_command(
    ctx: typer.Context,
    stacks: StacksArgument = None,
    target: TargetOption = None,
    context: ContextOption = None,
) -> None:
    """Compare live, recorded and desired. Exit 0 clean, 2 drift, 1 error."""
    cli: CliContext = ctx.obj
    with reported(cli.err, cli.debug, as_json=cli.json):
        # rendered as apply renders (for the cluster), so drift compares like with like
        checked_lab = checked_homelab(cli, target, context)
        wanted, notes = checked_lab.desired, checked_lab.notes
        with session(cli, wanted, target, context, read_only=True) as (store, targets):
            result = with_notes(drift(wanted, targets, store, EngineOptions.default(), stacks),
                                notes)
    emit(cli, result)
    if result.failed:
        raise typer.Exit(ExitCode.FAILED)
    if drift_count(result):
        raise typer.Exit(ExitCode.CHANGES)

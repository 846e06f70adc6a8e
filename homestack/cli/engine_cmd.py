"""``homestack plan`` and ``homestack apply``: the change set against recorded state and target."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Annotated

import typer

from homestack.catalog import checkout, load
from homestack.cli.app import app
from homestack.cli.context import CliContext
from homestack.cli.errors import ExitCode, reported
from homestack.cli.show import show_changeset, stack_progress
from homestack.cli.targets import TargetName, close_target, default_target, open_target
from homestack.cli.validate_cmd import findings_table
from homestack.engine import (
    ChangeSet,
    Desired,
    EngineOptions,
    Target,
    apply,
    desired,
    destroy,
    drift,
    drift_count,
    plan,
    stack_hash,
)
from homestack.policy import blocking, check_homelab
from homestack.state import StateStore, open_store

TargetOption = Annotated[
    TargetName | None, typer.Option("--target", help="kube or gitops (default from the Site).")
]
StacksArgument = Annotated[list[str] | None, typer.Argument(help="Stacks (default: all).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
DependentsOption = Annotated[
    bool, typer.Option("--with-dependents", help="Also the Stacks that need the named ones.")
]
ContextOption = Annotated[str | None, typer.Option("--context", help="kubeconfig context.")]


@contextmanager
def _session(cli: CliContext, wanted: Desired, target: TargetName | None,
             context: str | None) -> Iterator[tuple[StateStore, Target]]:
    """The state store and the target of one run, both closed afterwards."""
    chosen = target or default_target(wanted.homelab)
    store = open_store(cli.root.resolve(), cli.state_settings)
    try:
        to = open_target(chosen, wanted, context)
        try:
            yield store, to
        finally:
            close_target(to)
    finally:
        store.close()


def _checked(cli: CliContext) -> Desired:
    """The desired homelab, refused when a policy error is not silenced."""
    wanted = desired(cli.homelab())
    failing = blocking(check_homelab(wanted.homelab, wanted.resources))
    if failing:
        cli.err.print(findings_table(failing))
        cli.err.print(f"[bold red]error:[/] {len(failing)} policy errors block this run; "
                      "fix them or silence each with a written reason (homestack validate)")
        raise typer.Exit(ExitCode.FAILED)
    return wanted


def changed_stacks(wanted: Desired, revision: str) -> set[str]:
    """Stacks whose rendered content differs from the homelab at ``revision``."""
    with checkout(wanted.homelab.root, revision) as old_root:
        before = desired(load(old_root))
    old = {name: stack_hash(res) for name, res in before.resources.items()}
    return {name for name, res in wanted.resources.items() if old.get(name) != stack_hash(res)}


def _emit(cli: CliContext, changeset: ChangeSet, as_json: bool) -> None:
    if as_json or cli.json:
        typer.echo(json.dumps(changeset.to_json(), indent=2))
    else:
        show_changeset(cli.console, changeset)


@app.command("plan")
def plan_command(
    ctx: typer.Context,
    stacks: StacksArgument = None,
    target: TargetOption = None,
    json_output: JsonOption = False,
    with_dependents: DependentsOption = False,
    detailed_exitcode: Annotated[
        bool, typer.Option("--detailed-exitcode", help="Exit 2 when there are changes.")
    ] = False,
    from_state: Annotated[
        bool, typer.Option("--from-state", help="Compare with recorded state only (fast).")
    ] = False,
    changed_since: Annotated[
        str | None, typer.Option("--changed-since", help="Only Stacks whose content changed "
                                 "since this Git revision, and their dependents.")
    ] = None,
    context: ContextOption = None,
) -> None:
    """Show what apply would change; takes no lease. Exit 0 no changes, 2 changes, 1 error."""
    cli: CliContext = ctx.obj
    with reported(cli.err, cli.debug):
        wanted = _checked(cli)
        if changed_since:
            stacks = sorted(set(stacks or ()) | changed_stacks(wanted, changed_since))
            with_dependents = True
            if not stacks:
                cli.console.print(f"no Stack changed since {changed_since}")
                return
        options = replace(EngineOptions.default(), refresh=not from_state)
        with _session(cli, wanted, target, context) as (store, to):
            result = plan(wanted, to, store, options, stacks, with_dependents=with_dependents)
    _emit(cli, result, json_output)
    if result.failed:
        raise typer.Exit(ExitCode.FAILED)
    if detailed_exitcode and result.has_changes:
        raise typer.Exit(2)


@app.command("apply")
def apply_command(
    ctx: typer.Context,
    stacks: StacksArgument = None,
    target: TargetOption = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Apply without asking.")] = False,
    parallelism: Annotated[
        int | None, typer.Option("--parallelism", "-p", help="Stacks at once in a wave.")
    ] = None,
    allow_data_loss: Annotated[
        bool, typer.Option("--allow-data-loss", help="Allow deleting PVCs, Namespaces, DBs.")
    ] = False,
    allow_empty: Annotated[
        bool, typer.Option("--allow-empty", help="Allow a Stack to lose all its objects.")
    ] = False,
    with_dependents: DependentsOption = False,
    json_output: JsonOption = False,
    context: ContextOption = None,
) -> None:
    """Apply the plan wave by wave; asks first unless --yes (refuses without a TTY)."""
    cli: CliContext = ctx.obj
    with reported(cli.err, cli.debug):
        wanted = _checked(cli)
        options = replace(EngineOptions.default(), allow_data_loss=allow_data_loss,
                          allow_empty=allow_empty)
        if parallelism:
            options = replace(options, parallelism=parallelism)
        with _session(cli, wanted, target, context) as (store, to):
            if not yes:
                preview = plan(wanted, to, store, options, stacks,
                               with_dependents=with_dependents)
                show_changeset(cli.console, preview)
                if not preview.has_changes:
                    return
                if not sys.stdin.isatty():
                    cli.err.print("refusing to apply without a TTY; pass --yes")
                    raise typer.Exit(ExitCode.FAILED)
                typer.confirm("Apply these changes?", abort=True)
            with stack_progress(cli.err, len(stacks or wanted.graph.needs)) as advance:
                result = apply(wanted, to, store, options, stacks,
                               with_dependents=with_dependents, observer=advance)
    _emit(cli, result, json_output)
    if result.failed:
        raise typer.Exit(ExitCode.FAILED)


@app.command("drift")
def drift_command(
    ctx: typer.Context,
    stacks: StacksArgument = None,
    target: TargetOption = None,
    json_output: JsonOption = False,
    context: ContextOption = None,
) -> None:
    """Compare live, recorded and desired. Exit 0 clean, 2 drift, 1 error."""
    cli: CliContext = ctx.obj
    with reported(cli.err, cli.debug):
        wanted = desired(cli.homelab())
        with _session(cli, wanted, target, context) as (store, to):
            result = drift(wanted, to, store, EngineOptions.default(), stacks)
    _emit(cli, result, json_output)
    if result.failed:
        raise typer.Exit(ExitCode.FAILED)
    if drift_count(result):
        raise typer.Exit(2)


@app.command("destroy")
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
        wanted = desired(cli.homelab())
        options = replace(EngineOptions.default(), allow_data_loss=allow_data_loss)
        with _session(cli, wanted, target, context) as (store, to):
            result = destroy(wanted, to, store, options, stacks)
    _emit(cli, result, json_output)
    if result.failed:
        raise typer.Exit(ExitCode.FAILED)

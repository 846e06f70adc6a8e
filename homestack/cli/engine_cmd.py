"""``homestack plan`` and ``apply`` (``adopt`` is ``apply --adopt``): the change set against
recorded state and the targets. ``apply`` applies exactly the plan it showed (or the saved plan
it was given), never a fresh one."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from homestack.cli.checked import with_notes
from homestack.cli.context import CliContext
from homestack.cli.engine_run import (
    AdoptOption,
    ContextOption,
    DataLossOption,
    DependentsOption,
    EmptyOption,
    ForceOption,
    PruneOption,
    RebootOption,
    StacksArgument,
    TargetOption,
    changed_stacks,
    checked,
    emit,
    read_saved,
    save_plan,
    session,
)
from homestack.cli.errors import EXIT_CODES_HELP, ExitCode, Refused, reported
from homestack.cli.output_paths import check_writable
from homestack.cli.root import app
from homestack.cli.show import show_changeset, stack_progress
from homestack.cli.targets import TargetName
from homestack.engine import (
    ApplyResult,
    ChangeSet,
    Desired,
    EngineOptions,
    FailureKind,
    Permissions,
    Targets,
    admit,
    apply,
    plan,
    planned_targets,
)
from homestack.model import ModelError
from homestack.model.changeset_codec import changeset_from_json
from homestack.providers.proxmox import PveOptions
from homestack.state import StateStore


@app.command("plan", epilog=EXIT_CODES_HELP)
def plan_command(
    ctx: typer.Context,
    stacks: StacksArgument = None,
    target: TargetOption = None,
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
    out: Annotated[
        Path | None, typer.Option("-o", "--out", help="Save the plan (JSON) for `apply FILE`.")
    ] = None,
    context: ContextOption = None,
    reboot: RebootOption = False,
    adopt: AdoptOption = False,
    force_conflicts: ForceOption = False,
    allow_data_loss: DataLossOption = False,
    allow_empty: EmptyOption = False,
    allow_prune: PruneOption = False,
) -> None:
    """Show what apply would change; takes no lease.

    The permissions (--allow-data-loss, --allow-empty, --allow-prune, --force-conflicts) are
    decided here:
    the plan shows what they allowed or blocked, and a saved plan carries them to apply.
    """
    cli: CliContext = ctx.obj
    with reported(cli.err, cli.debug, as_json=cli.json):
        check_writable(out, "--out")
        narrow = stacks if stacks and not (with_dependents or changed_since) else None
        wanted, notes = checked(cli, target, context, narrow)
        if changed_since:
            stacks = sorted(set(stacks or ()) | changed_stacks(wanted, changed_since))
            with_dependents = True
            if not stacks:
                cli.console.print(f"no Stack changed since {changed_since}")
                return
        options = replace(EngineOptions.default(), refresh=not from_state).granted(
            Permissions(allow_data_loss, allow_empty, force_conflicts, allow_prune))
        pve = PveOptions(reboot=reboot, adopt=adopt, allow_data_loss=allow_data_loss)
        with session(cli, wanted, target, context, pve, force_conflicts=force_conflicts,
                      read_only=True) as (store, targets):
            result = with_notes(plan(wanted, targets, store, options, stacks,
                                     with_dependents=with_dependents), notes)
            result = replace(result, context=context or "")
            if out is not None:
                save_plan(out, result, targets, store, wanted.homelab.site.name)
    emit(cli, result)
    if result.failed:
        raise typer.Exit(ExitCode.FAILED)
    if detailed_exitcode and result.has_changes:
        raise typer.Exit(ExitCode.CHANGES)


def _saved_plan(stacks: list[str] | None) -> Path | None:
    """The saved plan named on the command line, if the only argument is an existing file
    (a ``.json`` name that is no file is a missing plan, not an unknown Stack)."""
    if not stacks or len(stacks) != 1:
        return None
    path = Path(stacks[0])
    if path.is_file():
        return path
    if path.suffix == ".json" or "/" in stacks[0]:
        raise ModelError("no such saved plan file", subject=str(path),
                         hint="Save one with `homestack plan -o FILE`")
    return None


def _saved_target(data: Any) -> TargetName | None:
    k8s = planned_targets(data).get("k8s")
    return TargetName(k8s) if k8s in {t.value for t in TargetName} else None


def _saved_header(data: Any, path: Path) -> ChangeSet:
    """The saved plan's mode, permissions and context (its Stacks are read later, against
    the homelab rendered again)."""
    try:
        return changeset_from_json(data)[0].with_stacks([])
    except ModelError as exc:
        raise ModelError(str(exc), subject=str(path), hint=exc.hint) from exc


def _refuse_new_permissions(path: Path, permissions: Permissions) -> None:
    """A saved plan is applied under the permissions it was made with, never others."""
    given = permissions.flags()
    if given:
        raise ModelError(
            f"{', '.join(given)} cannot change a saved plan: its permissions were decided "
            "when it was made", subject=str(path),
            hint=f"Make the plan again with {' '.join(given)} (homestack plan ... -o FILE)")


def _ask(cli: CliContext, preview: ChangeSet) -> bool:
    """Show ``preview`` and ask; False when there is nothing to apply (then, under
    ``--json``, the empty change set is the output)."""
    show_changeset(cli.err if cli.json else cli.console, preview)
    if not preview.has_changes:
        if cli.json:
            emit(cli, preview)
        return False
    if not sys.stdin.isatty():
        raise Refused("refusing to apply without a TTY to confirm on",
                      hint="Pass --yes to apply without asking")
    typer.confirm("Apply these changes?", abort=True)
    return True


@app.command("apply", epilog=EXIT_CODES_HELP)
def apply_command(
    ctx: typer.Context,
    stacks: Annotated[list[str] | None, typer.Argument(
        help="Stacks (default: all), or one saved plan FILE from `plan -o`.")] = None,
    target: TargetOption = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Apply without asking.")] = False,
    parallelism: Annotated[
        int | None, typer.Option("--parallelism", "-p", min=1, max=64,
                                 help="Stacks at once in a wave (1-64).")
    ] = None,
    allow_data_loss: DataLossOption = False,
    allow_empty: EmptyOption = False,
    allow_prune: PruneOption = False,
    with_dependents: DependentsOption = False,
    context: ContextOption = None,
    reboot: RebootOption = False,
    force_conflicts: ForceOption = False,
    adopt: AdoptOption = False,
) -> None:
    """Apply the plan wave by wave: the one shown (asks first unless --yes) or a saved one."""
    _apply_run(ctx, stacks, target=target, yes=yes, parallelism=parallelism,
               permissions=Permissions(allow_data_loss, allow_empty, force_conflicts,
                                       allow_prune),
               with_dependents=with_dependents, context=context,
               adopt=adopt, reboot=reboot)


@app.command("adopt", epilog=EXIT_CODES_HELP)
def adopt_command(
    ctx: typer.Context,
    stacks: StacksArgument = None,
    target: TargetOption = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Adopt without asking.")] = False,
    allow_data_loss: Annotated[
        bool, typer.Option("--allow-data-loss", help="Allow replacing data holders.")
    ] = False,
    context: ContextOption = None,
    remove_helm_history: Annotated[
        bool, typer.Option("--remove-helm-history", help="Also delete the release Secrets "
                           "(sh.helm.release.v1.*) of Helm releases whose objects the "
                           "homelab declares.")
    ] = False,
) -> None:
    """Take over objects that exist but are not Homestack's: `apply --adopt`.

    Server-side apply with forced ownership of the fields Homestack declares, inventory labels
    added; fields Homestack does not declare stay as they are, with their owners. Objects of a
    release Helm installed are taken over the same way; its history Secrets are kept unless
    asked.
    """
    _apply_run(ctx, stacks, target=target, yes=yes, parallelism=None,
               permissions=Permissions(allow_data_loss=allow_data_loss),
               with_dependents=False, context=context, adopt=True,
               reboot=False, remove_helm_history=remove_helm_history)


def _apply_run(ctx: typer.Context, stacks: list[str] | None, *, target: TargetName | None,
               yes: bool, parallelism: int | None, permissions: Permissions,
               with_dependents: bool, context: str | None,
               adopt: bool, reboot: bool, remove_helm_history: bool = False) -> None:
    cli: CliContext = ctx.obj
    with reported(cli.err, cli.debug, as_json=cli.json):
        saved = _saved_plan(stacks)
        data = read_saved(cli, saved) if saved is not None else None
        if saved is not None:
            _refuse_new_permissions(saved, permissions)
            header = _saved_header(data, saved)
            if context is not None and context != header.context:
                raise ModelError(f"the plan was made for context {header.context!r}, not "
                                 f"{context!r}", subject=str(saved),
                                 hint="Apply it without --context, or plan again")
            context = header.context or None
            permissions = header.permissions
            target = target or _saved_target(data)
        narrow = stacks if stacks and saved is None and not with_dependents else None
        wanted, notes = checked(cli, target, context, narrow)
        # Interactively, the preview is the real plan (confirmed by server-side dry-runs);
        # with --yes nobody reads it, and each write tells what it changed.
        options = replace(EngineOptions.default(),
                          confirm=saved is None and not yes).granted(permissions)
        if parallelism:
            options = replace(options, parallelism=parallelism)
        pve = PveOptions(reboot=reboot, adopt=adopt,
                         allow_data_loss=permissions.allow_data_loss)
        with session(cli, wanted, target, context, pve,
                     force_conflicts=permissions.force_conflicts, adopt=adopt,
                     remove_helm_history=remove_helm_history) as (store, targets):
            if saved is not None:
                approved = admit(data, wanted, targets, store, options)
            else:
                approved = with_notes(plan(wanted, targets, store, options, stacks,
                                           with_dependents=with_dependents), notes)
                approved = replace(approved, context=context or "")
                if not yes and not _ask(cli, approved):
                    return
            result = _apply_approved(cli, wanted, targets, store, options, approved,
                                     interactive=saved is None and not yes)
    emit(cli, result)
    if result.failed:
        raise typer.Exit(ExitCode.FAILED)


def _apply_approved(cli: CliContext, wanted: Desired, targets: Targets, store: StateStore,
                    options: EngineOptions, approved: ChangeSet, *, interactive: bool
                    ) -> ApplyResult:
    """Apply ``approved``; interactively, Stacks another run changed meanwhile are planned
    again and shown, and applied only when confirmed again."""
    with stack_progress(cli.err, len(approved.stacks)) as advance:
        result = apply(wanted, targets, store, options, approved, observer=advance)
    stale = _stale(result)
    while interactive and stale:
        cli.err.print(f"[yellow]another run changed {', '.join(stale)} since the plan; "
                      "here is the new plan for them[/]")
        again = plan(wanted, targets, store, options, stale)
        if not _ask(cli, again):
            break
        with stack_progress(cli.err, len(again.stacks)) as advance:
            retried = apply(wanted, targets, store, options, again, observer=advance)
        result = replace(result, stacks=tuple(retried.stack(s.stack) or s
                                              for s in result.stacks))
        stale = _stale(retried)
    return result


def _stale(result: ChangeSet) -> list[str]:
    return [s.stack for s in result.stacks if s.failure is FailureKind.STALE]

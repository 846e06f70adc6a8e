"""What the engine commands share: their options, the checked homelab they start from, the
state store and targets of a run, and how a change set is shown."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from homestack.catalog import checkout, load
from homestack.cli.checked import checked_homelab
from homestack.cli.context import CliContext
from homestack.cli.errors import ExitCode, error_object, json_mode
from homestack.cli.show import show_changeset
from homestack.cli.tables import print_table
from homestack.cli.targets import TargetName, default_target, opened_targets
from homestack.cli.validate_cmd import findings_table
from homestack.engine import (
    ChangeSet,
    Desired,
    Targets,
    check_seal,
    desired,
    plan_to_json,
    seal,
    stack_hash,
)
from homestack.engine.desired_cache import checked as cached_render
from homestack.model import ModelError
from homestack.model.changeset_codec import changeset_to_json
from homestack.policy import blocking
from homestack.providers.proxmox import PveOptions
from homestack.state import StateStore, open_store

TargetOption = Annotated[
    TargetName | None, typer.Option("--target", help="kube or gitops (default from the Site).")
]
StacksArgument = Annotated[list[str] | None, typer.Argument(help="Stacks (default: all).")]
DependentsOption = Annotated[
    bool, typer.Option("--with-dependents", help="Also the Stacks that need the named ones.")
]
ContextOption = Annotated[str | None, typer.Option("--context", help="kubeconfig context.")]
RebootOption = Annotated[bool, typer.Option(
    "--reboot", help="Reboot VMs whose changes only apply at restart (else they stay pending).")]
ForceOption = Annotated[bool, typer.Option(
    "--force-conflicts", help="Take back declared fields another field manager changed (the "
    "plan names which manager loses which field).")]
DataLossOption = Annotated[bool, typer.Option(
    "--allow-data-loss", help="Allow deleting or replacing data holders (PVCs, Namespaces, "
    "PVs, databases).")]
EmptyOption = Annotated[bool, typer.Option(
    "--allow-empty", help="Allow a Stack still in the homelab to lose all its objects.")]
PruneOption = Annotated[bool, typer.Option(
    "--allow-prune", help="Prune the Stacks that left the homelab (their folder is gone): "
    "delete every object they hold (the plan lists them).")]
AdoptOption = Annotated[bool, typer.Option(
    "--adopt", help="Take over what exists but is not Homestack's: Kubernetes objects with a "
    "desired object's identity, VMs with a Site VM's id (planned as adopt).")]


@contextmanager
def session(cli: CliContext, wanted: Desired, target: TargetName | None,
             context: str | None, pve: PveOptions | None = None, *,
             force_conflicts: bool = False, adopt: bool = False,
             remove_helm_history: bool = False, read_only: bool = False
             ) -> Iterator[tuple[StateStore, Targets]]:
    """The state store and the targets of one run, all closed afterwards; a ``read_only``
    run (plan, drift) never creates a key."""
    chosen = target or default_target(wanted.homelab)
    store = open_store(cli.root.resolve(), cli.state_settings, read_only=read_only)
    try:
        with opened_targets(chosen, wanted, context, pve=pve, force_conflicts=force_conflicts,
                            adopt=adopt, remove_helm_history=remove_helm_history,
                            read_only=read_only) as targets:
            yield store, targets
    finally:
        store.close()


def checked(cli: CliContext, target: TargetName | None, context: str | None,
            only: Collection[str] | None = None) -> tuple[Desired, dict[str, list[str]]]:
    """The desired homelab and its rendering notes, refused when a policy error is not
    silenced; ``only`` narrows rendering to the Stacks acted on (``checked_homelab``)."""
    result = checked_homelab(cli, target, context, only=only)
    failing = blocking(result.findings)
    if failing:
        if json_mode():
            typer.echo(json.dumps(error_object(
                "policy", f"{len(failing)} policy errors block this run", ExitCode.FAILED,
                findings=[{"rule": f.rule, "stack": f.stack, "address": f.address,
                           "message": f.message} for f in failing]), indent=2))
        print_table(cli.err, findings_table(failing))
        cli.err.print(f"[bold red]error:[/] {len(failing)} policy errors block this run; "
                      "fix them or silence each with a written reason (homestack validate)")
        raise typer.Exit(ExitCode.FAILED)
    return result.desired, result.notes


def changed_stacks(wanted: Desired, revision: str) -> set[str]:
    """Stacks whose rendered content differs from the homelab at ``revision``.

    Like is compared with like: both sides rendered offline (``wanted`` may be rendered for
    the cluster, and a Helm release rendered with the cluster's capabilities would differ
    from its offline render at every revision). The offline render of now is the cache's.
    """
    with checkout(wanted.homelab.root, revision) as old_root:
        before = desired(load(old_root))
    now = cached_render(wanted.homelab.root, "offline").checked.desired
    old = {name: stack_hash(res) for name, res in before.resources.items()}
    return {name for name, res in now.resources.items() if old.get(name) != stack_hash(res)}


def read_saved(cli: CliContext, path: Path) -> Any:
    """The JSON of the saved plan at ``path``, its seal checked against the homelab's state
    before any target is contacted; ``ModelError`` when it cannot be read or was modified."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise ModelError(f"cannot read the saved plan ({reason})", subject=str(path)) from exc
    store = open_store(cli.root.resolve(), cli.state_settings, read_only=True)
    try:
        check_seal(data, store, str(path))
    finally:
        store.close()
    return data


def save_plan(path: Path, planned: ChangeSet, targets: Targets, store: StateStore,
              site: str) -> None:
    """Write ``planned`` to ``path``, sealed with the homelab's key (owner-only: it names
    the homelab's systems)."""
    data = seal(plan_to_json(planned, targets, site), store)
    path.write_text(json.dumps(data, indent=1) + "\n")
    path.chmod(0o600)


def emit(cli: CliContext, changeset: ChangeSet) -> None:
    """The change set as JSON (``--json``) or as tables."""
    if cli.json:
        typer.echo(json.dumps(changeset_to_json(changeset), indent=2))
    else:
        show_changeset(cli.console, changeset)

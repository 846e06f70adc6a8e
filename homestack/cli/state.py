"""``homestack state``: look at the recorded state, the history, and break a stuck lease.

``list``, ``show`` and ``history`` only read (they take no lease); ``unlock`` removes a Stack's
lease whoever holds it and records who did it and why in the history; ``mv`` renames a Stack's
record under both leases.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Column, Table

from homestack.cli.errors import HomestackGroup, InvalidArgument, Refused, reported
from homestack.cli.tables import print_table
from homestack.model import HomestackError, ModelError
from homestack.model.state_settings import StateSettings
from homestack.state import (
    Holder,
    Lease,
    RunResult,
    StateStore,
    default_identity,
    generate_identity,
    open_store,
    settle_runs,
)
from homestack.state.rename import rename_stack

state_app = typer.Typer(name="state", help="Inspect the recorded state; break stuck leases.",
                        no_args_is_help=True, cls=HomestackGroup)


def _settings(ctx: typer.Context) -> StateSettings:
    """The Site's state settings."""
    settings: StateSettings = ctx.obj.state_settings
    return settings


def _console(ctx: typer.Context) -> Console:
    found = getattr(ctx.obj, "console", None)
    return found if isinstance(found, Console) else Console()


@contextmanager
def _store(ctx: typer.Context) -> Iterator[StateStore]:
    err = getattr(ctx.obj, "err", None)
    with reported(err if isinstance(err, Console) else Console(stderr=True),
                  bool(getattr(ctx.obj, "debug", False)),
                  as_json=bool(getattr(ctx.obj, "json", False))):
        store = open_store(ctx.obj.root, _settings(ctx))
        try:
            yield store
        finally:
            store.close()


def _echo_json(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2, sort_keys=True))


def _few(names: Sequence[str], shown: int = 3) -> str:
    """Up to ``shown`` names, then how many more (the JSON output lists them all)."""
    more = len(names) - shown
    return ", ".join(names[:shown]) + (f" and {more} more" if more > 0 else "")


def _lease_text(lease: Lease | None) -> str:
    return "-" if lease is None else f"{lease.holder} until {lease.expires_at:%H:%M:%S}"


def _known_stacks(ctx: typer.Context, store: StateStore) -> list[str]:
    """Recorded Stacks, and declared ones (a first run holds leases before any record)."""
    names = set(store.stacks())
    homelab = getattr(ctx.obj, "homelab", None)
    try:
        names |= set(homelab().stacks) if callable(homelab) else set()
    except HomestackError:
        pass  # a broken homelab must not hide the recorded state
    return sorted(names)


def _running(store: StateStore, leases: dict[str, Lease]) -> list[dict[str, Any]]:
    """Runs the history shows as running, with the leases they hold and whether they live."""
    runs = []
    settle_runs(store)
    for run in store.history(200):
        if run.result is not RunResult.RUNNING:
            continue
        held = [lease for lease in leases.values() if lease.run_id == run.run_id]
        dead = bool(held) and all(lease.holder.is_known_dead() for lease in held)
        runs.append({"run_id": run.run_id, "command": run.command, "by": run.by,
                     "started_at": run.started_at.isoformat(),
                     "holds": sorted(lease.stack for lease in held),
                     "alive": "no" if dead else ("yes" if held else "unknown")})
    return runs


@state_app.command("list")
def list_stacks(ctx: typer.Context) -> None:
    """List the Stacks with a record, a lease or an open journal, and the runs in progress."""
    rows: list[dict[str, Any]] = []
    with _store(ctx) as store:
        bootstrap = set(_settings(ctx).bootstrap_stacks)
        leases: dict[str, Lease] = {}
        for name in _known_stacks(ctx, store):
            record = store.read_stack(name)
            lease = store.read_lease(name)
            journal = len(store.journal_open(name))
            if record is None and lease is None and not journal:
                continue
            if lease is not None:
                leases[name] = lease
            rows.append({
                "stack": name, "tier": "bootstrap" if name in bootstrap else "standard",
                "revision": record.revision if record else None,
                "applied_at": record.applied_at.isoformat() if record else None,
                "applied_by": record.applied_by if record else None,
                "target": record.target if record else None,
                "resources": len(record.resources) if record else 0,
                "lease": None if lease is None else lease.model_dump(mode="json"),
                "open_journal": journal,
            })
        running = _running(store, leases)
    if ctx.obj.json:
        _echo_json({"stacks": rows, "running": running})
        return
    table = Table("Stack", "State tier", "Rev", "Applied at", "By", "Target", "Resources",
                  "Journal", "Lease", title="Recorded state")
    for row in rows:
        lease = Lease.model_validate(row["lease"]) if row["lease"] else None
        applied = row["applied_at"][:16].replace("T", " ") if row["applied_at"] else "-"
        table.add_row(row["stack"], row["tier"], str(row["revision"] or "-"), applied,
                      str(row["applied_by"] or "-").split(" (")[0], row["target"] or "-",
                      str(row["resources"]),
                      str(row["open_journal"] or "-"), _lease_text(lease))
    console = _console(ctx)
    print_table(console, table)
    if running:
        runs = Table("Run", "Command", "By", "Started", "Holds", "Alive", title="Runs in progress")
        for run in running:
            runs.add_row(run["run_id"], run["command"], run["by"], run["started_at"][:19],
                         ", ".join(run["holds"]) or "-", run["alive"])
        print_table(console, runs)


@state_app.command("show")
def show(ctx: typer.Context, stack: Annotated[str, typer.Argument(help="The Stack.")]) -> None:
    """Show one Stack's record: its Resources, its lease and its open journal."""
    with _store(ctx) as store:
        record = store.read_stack(stack)
        lease = store.read_lease(stack)
        journal = store.journal_open(stack)
        if record is None and lease is None and not journal:
            raise ModelError("has no recorded state", subject=stack,
                             hint="Run 'homestack state list' to see the recorded Stacks")
    if ctx.obj.json:
        _echo_json({
            "record": record.model_dump(mode="json") if record else None,
            "lease": lease.model_dump(mode="json") if lease else None,
            "journal": [e.model_dump(mode="json") for e in journal],
        })
        return
    console = _console(ctx)
    if record is not None:
        console.print(f"[bold]{stack}[/] revision {record.revision}, applied"
                      f" {record.applied_at:%Y-%m-%d %H:%M:%S} by {record.applied_by}"
                      f" to {record.target}"
                      + (f" (commit {record.gitops_commit})" if record.gitops_commit else ""))
        table = Table("Address", "Provider id", "Content hash", "Outputs")
        for resource in record.resources:
            table.add_row(resource.address, resource.provider_id or "-",
                          resource.content_hash[:12], json.dumps(resource.outputs))
        print_table(console, table)
    console.print(f"Lease: {_lease_text(lease)}")
    if journal:
        table = Table("Run", "Address", "Action", "State", title="Open journal")
        for entry in journal:
            state = "done" if entry.done else "intent only: re-check against the provider"
            table.add_row(entry.run_id, entry.address, entry.action, state)
        print_table(console, table)


@state_app.command("history")
def history(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many runs.")] = 20,
) -> None:
    """Show the newest runs: who, when, which Stacks, what changed, how it ended."""
    with _store(ctx) as store:
        settle_runs(store)
        runs = store.history(limit)
    if ctx.obj.json:
        _echo_json([run.model_dump(mode="json") for run in runs])
        return
    table = Table("Started", "Command", "By", "Stacks", "Changes", "Result", "Message",
                  title="History")
    # a run id is what `state show` and the journal name: never wrapped or cut
    table.columns.insert(1, Column("Run", no_wrap=True, min_width=len(runs[0].run_id)
                                   if runs else 0))
    for run in runs:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(run.counts.items())) or "-"
        table.add_row(f"{run.started_at:%Y-%m-%d %H:%M:%S}", run.run_id, run.command,
                      run.by.split(" (")[0], _few(run.stacks), counts, run.result.value,
                      # a success's message is its counts again; a failure's says why
                      "" if run.result is RunResult.SUCCEEDED else run.message)
    print_table(_console(ctx), table)


@state_app.command("unlock")
def unlock(
    ctx: typer.Context,
    stack: Annotated[str, typer.Argument(help="The Stack whose lease to break.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (kept in the history).")],
    by: Annotated[str | None, typer.Option("--by", help="Who (default: user@host).")] = None,
) -> None:
    """Break a Stack's lease whoever holds it; recorded in the history with the reason."""
    if not reason.strip():
        raise typer.BadParameter("give a reason", param_hint="--reason")
    who = by or f"{getpass.getuser()}@{socket.gethostname()}"
    with _store(ctx) as store:
        if store.read_lease(stack) is None and stack not in _known_stacks(ctx, store):
            raise InvalidArgument("is neither declared nor recorded, and holds no lease",
                                  subject=stack,
                                  hint="Run 'homestack state list' to see the Stacks")
        broken = store.break_lease(stack, reason=reason, by=who)
    if ctx.obj.json:
        _echo_json({"stack": stack, "broken": broken.model_dump(mode="json") if broken
                    else None, "by": who, "reason": reason})
    elif broken is None:
        _console(ctx).print(f"{stack}: no lease was held; the unlock is recorded")
    else:
        _console(ctx).print(f"{stack}: broke the lease of {broken.holder}")


@state_app.command("mv")
def move(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(help="The Stack's recorded name.")],
    new: Annotated[str, typer.Argument(help="Its new name (the Stack's name in its file).")],
) -> None:
    """Rename a Stack's recorded state; its objects follow in place on the next apply."""
    holder = Holder.current(f"state-mv-{os.getpid()}")
    with _store(ctx) as store:
        moved = rename_stack(store, old, new, holder, wait=5.0)
    if ctx.obj.json:
        _echo_json({"from": old, "to": new, "resources": len(moved.resources)})
    else:
        _console(ctx).print(f"{old} → {new}: {len(moved.resources)} recorded Resources moved; "
                            f"the next apply of {new} relabels them in place (plan: move)")


@state_app.command("keygen")
def keygen(
    ctx: typer.Context,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Key file to create.")] = None,
) -> None:
    """Create an age identity for the bootstrap state tier (never overwrites one)."""
    cli = ctx.obj
    path = out or default_identity()
    with reported(cli.err, cli.debug, as_json=cli.json):
        try:
            public = generate_identity(path)
        except FileExistsError:
            raise Refused("the key file exists; keeping it", subject=str(path)) from None
        except OSError as exc:
            raise InvalidArgument(f"cannot write the key file ({exc.strerror})",
                                  subject=str(path)) from None
    if cli.json:
        _echo_json({"public_key": public, "identity_file": str(path)})
        return
    # The public key alone on stdout (scripts read it); where the private key went on stderr.
    typer.echo(public)
    typer.echo(f"wrote the age identity to {path} (0600, keep it out of Git); add the "
               "public key above to the Site's StateSettings(age_recipients=...)", err=True)

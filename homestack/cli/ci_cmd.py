"""``homestack ci``: plan, apply and watch for drift from a CI job, with plain log output.

``ci plan`` acts on the Stacks whose content changed since the last commit ``ci apply``
recorded in state (site, kit and shared-code changes fan out through the content hash), with
their dependents; all Stacks when none is recorded. ``ci plan --out FILE`` saves the plan and
``ci apply --plan FILE`` applies exactly that plan (refused when the homelab or a record moved
since); ``ci apply --replan`` plans again instead. ``ci drift`` runs a drift check
with a confirmation pass, keeps first-seen times in state, writes Prometheus metrics and sends
a notification when the set of drifted objects changed. ``ci pipeline`` writes the CI file.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated

import typer

from homestack.cli.checked import checked_homelab, with_notes
from homestack.cli.context import CliContext
from homestack.cli.engine_run import (
    ContextOption,
    StacksArgument,
    TargetOption,
    changed_stacks,
    checked,
    read_saved,
    save_plan,
    session,
)
from homestack.cli.errors import EXIT_CODES_HELP, ExitCode, InvalidArgument, Refused, reported
from homestack.cli.output_paths import check_writable
from homestack.cli.targets import TargetName
from homestack.engine import (
    ChangeSet,
    Desired,
    EngineOptions,
    Targets,
    admit,
    apply,
    drift,
    plan,
    plan_and_apply,
)
from homestack.engine.drift_watch import DriftReport, confirmed, track, untrack
from homestack.model.changeset_codec import changeset_to_json
from homestack.outputs.ci_secrets import ci_secrets
from homestack.outputs.pipeline import DEFAULT_INSTALL, PATHS, Flavour, pipeline
from homestack.outputs.run_metrics import RunMetrics
from homestack.state import StateStore

ci_app = typer.Typer(name="ci", help="Plan, apply and watch for drift from CI.",
                     no_args_is_help=True)

CI_SCOPE = "ci"
APPLIED = "applied-commit"

MetricsFile = Annotated[Path | None, typer.Option(
    "--metrics-file", help="Write Prometheus metrics here (node_exporter textfile).")]
Pushgateway = Annotated[str | None, typer.Option(
    "--pushgateway", help="Push Prometheus metrics to this Pushgateway URL.")]


def _metrics(run: RunMetrics, path: Path | None, gateway: str | None) -> None:
    # prometheus_client only when metrics are wanted: every other command starts faster
    from homestack.outputs.metrics import push, write_textfile

    if path is not None:
        write_textfile(run, path)
    if gateway:
        push(run, gateway)


def _last_apply(store: StateStore) -> float | None:
    times = [r.applied_at.timestamp() for n in store.stacks() if (r := store.read_stack(n))]
    return max(times) if times else None


def _head(root: Path) -> str | None:
    done = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=False)
    return done.stdout.strip() if done.returncode == 0 else None


def _summary(changeset: ChangeSet) -> list[str]:
    """One line per Stack with changes or trouble, then the totals: readable in a CI log."""
    lines = []
    for stack in changeset.stacks:
        changes = [c for c in stack.changes if c.action.is_change]
        if changes or stack.error:
            counts: dict[str, int] = {}
            for change in changes:
                counts[change.action.value] = counts.get(change.action.value, 0) + 1
            text = ", ".join(f"{n} {a}" for a, n in sorted(counts.items())) or "no changes"
            lines.append(f"{stack.stack}: {stack.outcome.value} ({text})"
                         + (f": {stack.error}" if stack.error else ""))
    lines.append(f"total: {changeset.summary()}")
    return lines


def _selected(wanted: Desired, store: StateStore, stacks: Sequence[str] | None
              ) -> tuple[list[str] | None, str]:
    """The Stacks to act on and why: changed since the last applied commit, or all."""
    if stacks:
        return list(stacks), "named"
    commit = store.read_marks(CI_SCOPE).get(APPLIED)
    if not commit:
        return None, "all (no applied commit recorded)"
    return sorted(changed_stacks(wanted, commit)), f"changed since {commit[:12]}"


def _run(ctx: typer.Context, stacks: list[str] | None, *, apply_it: bool,
         metrics_file: Path | None, gateway: str | None, context: str | None,
         target: TargetName | None, saved: Path | None = None, out: Path | None = None
         ) -> None:
    cli: CliContext = ctx.obj
    started = time.monotonic()
    command = "apply" if apply_it else "plan"

    def say(text: str) -> None:
        typer.echo(text, err=cli.json)  # under --json, standard output holds the JSON alone
    with reported(cli.err, cli.debug, as_json=cli.json):
        check_writable(out, "--out")
        check_writable(metrics_file, "--metrics-file")
        data = read_saved(cli, saved) if saved is not None else None
        wanted, notes = checked(cli, target, context)
        with session(cli, wanted, target, context, read_only=not apply_it and out is None
                     ) as (store, targets):
            if data is not None and saved is not None:
                say(f"homestack ci apply: the saved plan {saved}")
                options = EngineOptions.default()
                result: ChangeSet = apply(wanted, targets, store, options,
                                          admit(data, wanted, targets, store, options))
            else:
                names, why = _selected(wanted, store, stacks)
                say(f"homestack ci {command}: Stacks {why}: "
                    f"{', '.join(names or ['all'])}")
                if names == []:
                    say("nothing to do")
                    if out is not None:
                        _save(out, ChangeSet(), targets, store, wanted, say)
                    if cli.json:
                        typer.echo(json.dumps(changeset_to_json(ChangeSet()), indent=2))
                    return
                run = plan_and_apply if apply_it else plan
                result = with_notes(run(wanted, targets, store, EngineOptions.default(),
                                        names, with_dependents=True), notes)
                if out is not None:
                    _save(out, result, targets, store, wanted, say)
            head = _head(wanted.homelab.root)
            if apply_it and not result.failed and head and stacks is None:
                store.write_marks(CI_SCOPE, {APPLIED: head})
            last = _last_apply(store)
    for line in _summary(result):
        say(line)
    with reported(cli.err, cli.debug, as_json=cli.json):
        _metrics(RunMetrics(command, time.monotonic() - started, len(result.failed),
                            last_apply=last), metrics_file, gateway)
    if cli.json:
        typer.echo(json.dumps(changeset_to_json(result), indent=2))
    if result.failed:
        raise typer.Exit(ExitCode.FAILED)
    if not apply_it and result.has_changes:
        raise typer.Exit(ExitCode.CHANGES)


def _save(out: Path, planned: ChangeSet, targets: Targets, store: StateStore,
          wanted: Desired, say: Callable[[str], None]) -> None:
    save_plan(out, planned, targets, store, wanted.homelab.site.name)
    say(f"saved the plan to {out}")


@ci_app.command("plan", epilog=EXIT_CODES_HELP)
def ci_plan(ctx: typer.Context, stacks: StacksArgument = None,
            out: Annotated[Path | None, typer.Option(
                "-o", "--out", help="Save the plan for `ci apply --plan FILE`.")] = None,
            metrics_file: MetricsFile = None, pushgateway: Pushgateway = None,
            context: ContextOption = None, target: TargetOption = None) -> None:
    """Plan the Stacks changed since the last applied commit (exit 2 when there are changes)."""
    _run(ctx, stacks, apply_it=False, metrics_file=metrics_file, gateway=pushgateway,
         context=context, target=target, out=out)


@ci_app.command("apply", epilog=EXIT_CODES_HELP)
def ci_apply(ctx: typer.Context, stacks: StacksArgument = None,
             saved: Annotated[Path | None, typer.Option(
                 "--plan", help="The plan `ci plan --out` saved: applied exactly as reviewed."
             )] = None,
             replan: Annotated[bool, typer.Option(
                 "--replan", help="Plan again here and apply that (no reviewed plan).")
             ] = False,
             metrics_file: MetricsFile = None, pushgateway: Pushgateway = None,
             context: ContextOption = None, target: TargetOption = None) -> None:
    """Apply the reviewed plan of `ci plan --out` (or, with --replan, a fresh plan of the
    Stacks changed since the last applied commit); record this commit."""
    cli: CliContext = ctx.obj
    with reported(cli.err, cli.debug, as_json=cli.json):
        if (saved is None) == (not replan) or (saved is not None and stacks):
            raise InvalidArgument("ci apply needs the reviewed plan or --replan",
                                  hint="Pass --plan FILE (from `ci plan --out`) or "
                                       "--replan [STACKS]")
    _run(ctx, stacks, apply_it=True, metrics_file=metrics_file, gateway=pushgateway,
         context=context, target=target, saved=saved)


def _drift_lines(report: DriftReport) -> list[str]:
    lines = [f"DRIFT {o.stack} {o.address} first seen {o.first_seen:%Y-%m-%d %H:%M:%S}Z, "
             f"age {int(o.age.total_seconds())}s: {o.note}" for o in report.objects]
    stacks = len(report.per_stack())
    lines.append(f"total: {len(report.objects)} drifted objects in {stacks} Stacks")
    return lines


def _drift_json(report: DriftReport, result: ChangeSet) -> dict[str, object]:
    return {"drifted": [{"stack": o.stack, "address": o.address,
                         "first_seen": o.first_seen.isoformat(),
                         "age_seconds": int(o.age.total_seconds()), "note": o.note}
                        for o in report.objects],
            "changed": report.changed,
            "failed": [{"stack": s.stack, "error": s.error} for s in result.failed]}


@ci_app.command("drift", epilog=EXIT_CODES_HELP)
def ci_drift(
    ctx: typer.Context,
    stacks: StacksArgument = None,
    confirm_delay: Annotated[float, typer.Option(
        "--confirm-delay", help="Seconds to wait before checking found drift again.")] = 60.0,
    metrics_file: MetricsFile = None,
    pushgateway: Pushgateway = None,
    notify_urls: Annotated[list[str] | None, typer.Option(
        "--notify", help="Apprise URL (default: $HOMESTACK_NOTIFY).")] = None,
    context: ContextOption = None,
    target: TargetOption = None,
) -> None:
    """Scheduled drift check: confirmed twice, aged, measured, notified on change."""
    cli: CliContext = ctx.obj
    started = time.monotonic()
    with reported(cli.err, cli.debug, as_json=cli.json):
        check_writable(metrics_file, "--metrics-file")
        from homestack.outputs.notify import notify, urls_from  # apprise is slow to import

        urls = urls_from(notify_urls or [])
        wanted = checked_homelab(cli, target, context).desired  # rendered as apply renders
        with session(cli, wanted, target, context) as (store, targets):
            result = confirmed(
                lambda: drift(wanted, targets, store, EngineOptions.default(), stacks),
                confirm_delay, time.sleep)
            report = track(store, result)
            last = _last_apply(store)
            lines = _drift_lines(report)
            for line in lines:
                typer.echo(line, err=cli.json)
            _metrics(RunMetrics("drift", time.monotonic() - started, len(result.failed),
                                report.per_stack(), last), metrics_file, pushgateway)
            title = (f"Homestack: {len(report.objects)} objects drifted" if report.objects
                     else "Homestack: drift cleared")
            if report.changed and urls and not notify(urls, title, "\n".join(lines)):
                untrack(store, report)
                raise Refused("the drift notification was not accepted",
                              subject="--notify",
                              hint="The next run notifies again; check the service's URL "
                                   "and that it is reachable")
            if cli.json:
                typer.echo(json.dumps(_drift_json(report, result), indent=2))
    if result.failed:
        raise typer.Exit(ExitCode.FAILED)
    if report.objects:
        raise typer.Exit(ExitCode.CHANGES)


@ci_app.command("pipeline")
def ci_pipeline(
    ctx: typer.Context,
    woodpecker: Annotated[bool, typer.Option("--woodpecker")] = False,
    forgejo: Annotated[bool, typer.Option("--forgejo")] = False,
    github: Annotated[bool, typer.Option("--github")] = False,
    out: Annotated[Path | None, typer.Option(
        "-o", "--out", help="Where to write it (- for standard output).")] = None,
    install: Annotated[str, typer.Option(
        "--install", help="What each step installs: a pinned version or a git URL with the "
                          "extras the homelab needs, as pip takes it.")] = DEFAULT_INSTALL,
) -> None:
    """Write the CI pipeline file that runs validate, ci plan, ci apply and ci drift, with the
    secrets the Site needs taken from the CI system by name (listed on standard error)."""
    cli: CliContext = ctx.obj
    chosen = [f for f, on in ((Flavour.WOODPECKER, woodpecker), (Flavour.FORGEJO, forgejo),
                              (Flavour.GITHUB, github)) if on]
    with reported(cli.err, cli.debug, as_json=cli.json):
        if len(chosen) != 1:
            raise InvalidArgument("ci pipeline writes one pipeline",
                                  hint="Pass exactly one of --woodpecker, --forgejo, --github")
        if not install.strip() or "\n" in install:
            raise InvalidArgument("--install names nothing to install",
                                  hint=f"Like {DEFAULT_INSTALL!r} or 'homestack[helm] @ "
                                       "git+https://git.example.org/you/homestack@v0.1.0'")
        secrets = ci_secrets(cli.homelab().site)
    flavour = chosen[0]
    text = pipeline(flavour, secrets, install)
    to_stdout = out is not None and str(out) == "-"
    path = None if to_stdout else out or cli.root / PATHS[flavour]
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    if cli.json:
        typer.echo(json.dumps({"flavour": flavour.value,
                               "wrote": None if path is None else str(path),
                               "text": text if path is None else None,
                               "secrets": [{"name": s.secret, "variable": s.env, "holds": s.what,
                                            "file": s.file} for s in secrets]}, indent=2))
        return
    cli.err.print("The pipeline takes these secrets from the CI system (set each one there):",
                  soft_wrap=True)
    for secret in secrets:
        kind = " (the file's content)" if secret.file else ""
        cli.err.print(f"  {secret.secret}{kind}: {secret.what}", markup=False, soft_wrap=True)
    if path is None:
        typer.echo(text, nl=False)  # -o -: standard output
    else:
        typer.echo(f"wrote {path}")

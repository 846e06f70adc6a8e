"""``homestack init [DIR]``: start a homelab: a Site, the platform Stacks, .gitignore, README."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from homestack.cli.context import CliContext
from homestack.cli.errors import InvalidArgument, reported
from homestack.cli.root import app
from homestack.outputs.starter import NEXT_STEPS, Answers, StarterPlatform, starter_files


def _asked(value: str | None, question: str, default: str) -> str:
    """``value`` when given; else the answer on a terminal, the default in a script."""
    if value is not None:
        return value
    if sys.stdin.isatty():
        return str(typer.prompt(question, default=default))
    return default


@app.command("init")
def init_command(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="Where to start it (created).")] = Path("."),
    domain: Annotated[str | None, typer.Option(
        "--domain", help="The public domain (asked on a terminal; example.org otherwise).")
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="The Site's name.")] = None,
    context: Annotated[str | None, typer.Option(
        "--context", help="The kubeconfig context to apply to (default: the current one).")
    ] = None,
    gitops: Annotated[bool, typer.Option(
        "--gitops", help="Write a GitOps repository instead of applying to a cluster.")
    ] = False,
    state_url: Annotated[str | None, typer.Option(
        "--state-url", help="PostgreSQL state, without password (default: SQLite in "
                            ".homestack/).")] = None,
    storage_class: Annotated[str, typer.Option(
        "--storage-class", help="The cluster's default StorageClass.")] = "local-path",
    admin: Annotated[str, typer.Option("--admin", help="The first admin's user name.")
                     ] = "admin",
    platform: Annotated[StarterPlatform, typer.Option(
        "--platform", help="minimal: the platform Stack and Traefik; none: the Site alone.")
    ] = StarterPlatform.MINIMAL,
) -> None:
    """Start a new homelab in DIR: site.py, the platform Stacks, .gitignore and a README."""
    cli: CliContext = ctx.obj
    root = cli.root / directory
    with reported(cli.err, cli.debug, as_json=cli.json):
        if (root / "site.py").exists():
            raise InvalidArgument("already holds a homelab (site.py)", subject=str(root),
                                  hint="Start in an empty folder, or add Stacks with "
                                       "`homestack new`")
        if gitops and context is not None:
            raise InvalidArgument("--gitops and --context choose different targets",
                                  hint="Pass one of them")
        chosen_domain = _asked(domain, "Public domain", "example.org")
        answers = Answers(
            name=name or _slug(root.resolve().name), domain=chosen_domain, context=context,
            gitops=gitops, state_url=state_url, storage_class=storage_class, admin=admin,
            platform=platform)
        files = starter_files(answers)
        taken = sorted(path for path in files if (root / path).exists())
        if taken:
            raise InvalidArgument(f"would overwrite {', '.join(taken)}", subject=str(root))
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    if cli.json:
        typer.echo(json.dumps({"homelab": str(root), "wrote": sorted(files),
                               "next": list(NEXT_STEPS)}, indent=2))
        return
    typer.echo(f"Started the {answers.name} homelab in {root} ({platform.value} platform).")
    typer.echo("Next:")
    prefix = "" if root == Path(".") else f"-C {root} "
    for step in NEXT_STEPS:
        typer.echo(f"  {step.replace('homestack ', f'homestack {prefix}', 1)}")


def _slug(text: str) -> str:
    """A DNS label made of a folder name (``My Lab`` → ``my-lab``)."""
    slug = "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")
    return "-".join(part for part in slug.split("-") if part)[:63] or "home"

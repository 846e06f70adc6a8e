"""``homestack render``: every desired object as YAML, to stdout or one file per object."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from homestack.cli.checked import checked_homelab
from homestack.cli.context import CliContext
from homestack.cli.errors import reported
from homestack.cli.root import app
from homestack.model import Provider
from homestack.outputs import document, file_name, to_yaml


@app.command()
def render(
    ctx: typer.Context,
    stacks: Annotated[list[str] | None, typer.Argument(help="Stacks to render (all).")] = None,
    out: Annotated[
        Path | None, typer.Option("-o", "--out", help="Write one folder per Stack here.")
    ] = None,
) -> None:
    """Render Stacks to YAML: one folder per Stack, one file per Resource."""
    cli: CliContext = ctx.obj
    with reported(cli.err, cli.debug, as_json=cli.json):
        wanted = checked_homelab(cli, cluster_aware=False, only=stacks).desired
        wanted.graph.check_known(stacks or ())
    every = wanted.resources
    resources = {name: every[name] for name in stacks} if stacks else every
    if out is None and cli.json:  # every provider's objects: JSON carries them all
        typer.echo(json.dumps([
            {"stack": name, "address": str(resource.address),
             "provider": resource.provider.value, "object": document(resource)}
            for name in sorted(resources) for resource in resources[name]], indent=2))
        return
    if out is None:
        # stdout is a Kubernetes YAML stream (pipeable to kubectl): other providers' Resources
        # are only counted here; `-o DIR` writes them too.
        chunks = []
        others = 0
        for name in sorted(resources):
            for resource in resources[name]:
                if resource.provider is not Provider.K8S:
                    others += 1
                    continue
                body = to_yaml(document(resource))
                chunks.append(f"---\n# {name}: {resource.address}\n{body}")
        typer.echo("".join(chunks), nl=False)
        if others:
            cli.err.print(f"{others} Resources of other providers (DNS, Vault, VMs) are not "
                          "Kubernetes YAML: render -o DIR writes them too")
        return
    for name in sorted(resources):
        folder = out / name
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.yaml"):
            stale.unlink()
        for resource in resources[name]:
            (folder / file_name(resource)).write_text(to_yaml(document(resource)))
    count = sum(len(r) for r in resources.values())
    if cli.json:
        typer.echo(json.dumps({"stacks": len(resources), "objects": count,
                               "into": str(out)}, indent=2))
    else:
        cli.err.print(f"rendered {count} objects of {len(resources)} Stacks into {out}")

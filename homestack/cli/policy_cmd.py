"""``homestack policy``: the Kyverno export of the homelab's conventions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from homestack.cli.context import CliContext
from homestack.cli.errors import HomestackGroup, InvalidArgument, reported
from homestack.cli.root import app
from homestack.outputs import to_yaml
from homestack.policy import cluster_policies

policy_app = typer.Typer(
    help="Policy rules outside validate: export them for the cluster.", no_args_is_help=True,
    cls=HomestackGroup,
)
app.add_typer(policy_app, name="policy")


@policy_app.command("export")
def export(
    ctx: typer.Context,
    out: Annotated[
        Path | None, typer.Option("-o", "--out", help="Write one file per ClusterPolicy here.")
    ] = None,
) -> None:
    """Write Kyverno ClusterPolicies that enforce the conventions in the cluster.

    They skip namespaces labelled app.kubernetes.io/managed-by=homestack, where Homestack
    renders the same objects and fields itself.
    """
    cli: CliContext = ctx.obj
    with reported(cli.err, cli.debug, as_json=cli.json):
        if out is not None and not (out.is_dir() or out.parent.is_dir()):
            raise InvalidArgument(f"the folder {out.parent} does not exist",
                                  subject=f"--out {out}", hint="Create it first")
        policies = cluster_policies(cli.homelab().site)
    if out is None:
        if cli.json:
            typer.echo(json.dumps(policies, indent=2))
        else:
            typer.echo("".join(f"---\n{to_yaml(policy)}" for policy in policies), nl=False)
        return
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for policy in policies:
        path = out / f"{policy['metadata']['name']}.yaml"
        path.write_text(to_yaml(policy))
        written.append(str(path))
    if cli.json:
        typer.echo(json.dumps({"wrote": written}, indent=2))
    else:
        cli.err.print(f"wrote {len(policies)} ClusterPolicies into {out}")

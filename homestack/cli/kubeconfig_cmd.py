"""``homestack kubeconfig USER``: write a roster user's OIDC kubeconfig."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from homestack.cli.context import CliContext
from homestack.cli.errors import InvalidArgument, reported
from homestack.cli.output_paths import check_writable
from homestack.cli.root import app
from homestack.outputs.kubeconfig import kubeconfig_yaml


@app.command()
def kubeconfig(
    ctx: typer.Context,
    user: Annotated[str, typer.Argument(help="A user of the Site's identity roster.")],
    out: Annotated[
        Path | None, typer.Option("-o", "--out", help="Where to write it (<user>.kubeconfig).")
    ] = None,
) -> None:
    """Write a kubeconfig for a roster user: OIDC login through the identity provider."""
    cli: CliContext = ctx.obj
    with reported(cli.err, cli.debug, as_json=cli.json):
        check_writable(out, "--out")
        site = cli.homelab().site
        found = site.user(user)
        if found is None:
            known = ", ".join(sorted(u.name for u in site.identity.users)) or "none"
            raise InvalidArgument(f"site.identity.users has no user {user} (known: {known})")
        if site.kube_access is None:
            raise InvalidArgument(
                "the Site has no kube_access", hint="Set Site(kube_access=KubeAccess("
                "api_server=..., oidc_issuer_url=..., oidc_client_id=...))")
        access = site.kube_access
    target = out or Path(f"{found.name}.kubeconfig")
    target.parent.mkdir(parents=True, exist_ok=True)
    # a kubeconfig is private to its user even without tokens in it
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(kubeconfig_yaml(site, access, found))
    if cli.json:
        typer.echo(json.dumps({"user": found.name, "wrote": str(target),
                               "context": found.name}, indent=2))
    else:
        cli.err.print(f"wrote {escape(str(target))}: context {escape(found.name)}, login "
                      "with kubectl oidc-login")

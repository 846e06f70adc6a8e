"""``homestack access``: the matrix host → auth mode → allowed groups → users."""

from __future__ import annotations

import json

import typer
from rich.markup import escape
from rich.table import Table

from homestack.cli.context import CliContext
from homestack.cli.errors import reported
from homestack.cli.root import app
from homestack.cli.tables import print_table
from homestack.engine import desired
from homestack.policy.access import access_matrix

EVERYONE = "(anyone)"


@app.command()
def access(
    ctx: typer.Context,
) -> None:
    """Show who may reach each ingress host, from the rendered ingresses and the roster."""
    cli: CliContext = ctx.obj
    with reported(cli.err, cli.debug, as_json=cli.json):
        homelab = cli.homelab()
        rows = access_matrix(homelab.site.identity, desired(homelab).resources)
    if cli.json:
        typer.echo(json.dumps([
            {"host": row.host, "stack": row.stack, "address": row.address, "auth": row.auth,
             "groups": list(row.groups), "users": list(row.users), "anyone": row.anyone}
            for row in rows
        ], indent=2))
        return
    table = Table()
    # two objects may route one host (an Ingress and a Traefik route, two paths): the
    # object column tells their rows apart
    for column in ("host", "auth", "groups", "users", "stack", "object"):
        table.add_column(column)
    for row in rows:
        users = EVERYONE if row.anyone else ", ".join(row.users)
        table.add_row(escape(row.host), row.auth or "?", escape(", ".join(row.groups)),
                      escape(users), escape(row.stack), escape(_object(row.address)))
    print_table(cli.console, table)


def _object(address: str) -> str:
    """``Kind namespace/name`` of a Kubernetes address (``k8s:group/version:Kind:ns/name``)."""
    parts = address.split(":")
    return f"{parts[-2]} {parts[-1]}" if len(parts) >= 4 else address

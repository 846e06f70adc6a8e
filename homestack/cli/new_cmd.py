"""``homestack new STACK``: write a new stack file from the kit's typical shape."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from homestack.cli.context import CliContext
from homestack.cli.errors import InvalidArgument, reported
from homestack.cli.root import app
from homestack.model.tier import NamespaceTier
from homestack.outputs.scaffold import IMAGE, stack_file


@app.command("new")
def new_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The new Stack's name.")],
    tier: Annotated[NamespaceTier, typer.Option("--tier", help="Namespace tier.")] = (
        NamespaceTier.AUX),
    image: Annotated[str, typer.Option("--image", help="Pinned container image.")] = IMAGE,
    port: Annotated[int, typer.Option("--port", min=1, max=65535,
                                      help="The container's HTTP port.")] = 80,
    postgres: Annotated[bool, typer.Option(
        "--postgres", help="Give it a Postgres database (the homelab's shared one, else a "
                           "server of its own).")] = False,
) -> None:
    """Write stacks/NAME/stack.py: a Deployment and an ingress, with the Site's defaults."""
    cli: CliContext = ctx.obj
    with reported(cli.err, cli.debug, as_json=cli.json):
        homelab = cli.homelab()
        path = cli.root / "stacks" / name / "stack.py"
        if name in homelab.stacks or path.exists():
            raise InvalidArgument(f"Stack {name} already exists", subject=str(path))
        text = stack_file(homelab, name, tier=tier, image=image, port=port,
                          postgres=postgres)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    written = str(path.relative_to(cli.root))
    if cli.json:
        typer.echo(json.dumps({"stack": name, "wrote": written}, indent=2))
    else:
        typer.echo(f"wrote {written}; `homestack validate` checks it")

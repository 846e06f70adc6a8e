"""The cli layer: the ``homestack`` command (typer + rich)."""

from __future__ import annotations

import sys

from homestack.cli import (
    access_cmd,
    ci_cmd,
    engine_cmd,
    explain_cmd,
    graph_cmd,
    kubeconfig_cmd,
    new_cmd,
    policy_cmd,
    render_cmd,
    validate_cmd,
)
from homestack.cli.app import app
from homestack.cli.errors import ExitCode
from homestack.cli.state import state_app

app.add_typer(state_app, name="state")
app.add_typer(ci_cmd.ci_app, name="ci")

__all__ = [
    "access_cmd",
    "app",
    "ci_cmd",
    "engine_cmd",
    "explain_cmd",
    "graph_cmd",
    "kubeconfig_cmd",
    "main",
    "new_cmd",
    "policy_cmd",
    "render_cmd",
    "validate_cmd",
]


def main() -> None:
    """Entry point of the ``homestack`` console command.

    Usage errors exit 3 (invalid input), not click's 2: exit 2 means "changes found".
    """
    import typer

    try:
        code = app(standalone_mode=False)  # returns the code of a typer.Exit
    except typer.Abort:
        print("Aborted!", file=sys.stderr)
        raise SystemExit(ExitCode.FAILED) from None
    except typer.TyperException as exc:  # usage errors: bad option, missing argument
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            print(f"error: {exc.format_message()}", file=sys.stderr)
        raise SystemExit(ExitCode.INVALID) from None
    raise SystemExit(code if isinstance(code, int) else ExitCode.OK)

"""The cli layer: the ``homestack`` command (typer + rich)."""

from __future__ import annotations

from homestack.cli import (
    engine_cmd,
    explain_cmd,
    graph_cmd,
    policy_cmd,
    render_cmd,
    validate_cmd,
)
from homestack.cli.app import app
from homestack.cli.state import state_app

app.add_typer(state_app, name="state")

__all__ = [
    "app",
    "engine_cmd",
    "explain_cmd",
    "graph_cmd",
    "main",
    "policy_cmd",
    "render_cmd",
    "validate_cmd",
]


def main() -> None:
    """Entry point of the ``homestack`` console command."""
    app()

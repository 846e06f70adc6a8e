"""What every CLI command receives: the homelab root and output preferences (no globals)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from homestack.catalog import Homelab, load
from homestack.model import StateSettings

# Piped or redirected output is read by scripts and logs: tables never wrap at 80 columns.
UNWRAPPED_WIDTH = 400


def make_console(*, stderr: bool = False) -> Console:
    """A console for stdout or stderr; wide when not a terminal unless COLUMNS says otherwise."""
    console = Console(stderr=stderr)
    if not console.is_terminal and not os.environ.get("COLUMNS"):
        console = Console(stderr=stderr, width=UNWRAPPED_WIDTH)
    return console


@dataclass
class CliContext:
    """Options of the top-level command, shared by subcommands through ``ctx.obj``."""

    root: Path
    json: bool = False
    debug: bool = False
    console: Console = field(default_factory=lambda: make_console())
    err: Console = field(default_factory=lambda: make_console(stderr=True))
    _homelab: Homelab | None = None

    def homelab(self) -> Homelab:
        """Load the homelab once per invocation."""
        if self._homelab is None:
            self._homelab = load(self.root)
        return self._homelab

    def use(self, homelab: Homelab) -> None:
        """Take ``homelab`` as this invocation's (one the render cache gave back)."""
        self._homelab = homelab

    @property
    def state_settings(self) -> StateSettings:
        """The Site's state settings (loads the Site)."""
        return self.homelab().site.state

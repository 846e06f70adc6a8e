"""What every CLI command receives: the homelab root and output preferences (no globals)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from homestack.catalog import Homelab, load
from homestack.model import StateSettings


@dataclass
class CliContext:
    """Options of the top-level command, shared by subcommands through ``ctx.obj``."""

    root: Path
    json: bool = False
    debug: bool = False
    console: Console = field(default_factory=Console)
    err: Console = field(default_factory=lambda: Console(stderr=True))
    _homelab: Homelab | None = None

    def homelab(self) -> Homelab:
        """Load the homelab once per invocation."""
        if self._homelab is None:
            self._homelab = load(self.root)
        return self._homelab

    @property
    def state_settings(self) -> StateSettings:
        """The Site's state settings (loads the Site)."""
        return self.homelab().site.state

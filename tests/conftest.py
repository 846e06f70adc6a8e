"""Shared fixtures: paths of the example homelabs and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
SMALL_HOMELAB = REPO / "examples" / "small-homelab"


@pytest.fixture
def small_homelab() -> Path:
    """The small example homelab used until the reference homelab exists."""
    return SMALL_HOMELAB


@pytest.fixture
def runner() -> CliRunner:
    """A typer runner with stderr kept apart from stdout."""
    return CliRunner()

"""Shared fixtures: paths of the example homelabs and a CLI runner."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from homestack_testing.charts import ChartRepository

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


@pytest.fixture(scope="session", autouse=True)
def chart_repository(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChartRepository]:
    """The loopback chart repository with the stand-in charts, as every test's chart mirror.

    The chart cache is private to the test session, so the first render pulls each chart once
    over loopback and checks it against the reference homelab's charts.lock.
    """
    repository = ChartRepository().start()
    saved = {k: os.environ.get(k) for k in ("HOMESTACK_CHART_MIRROR", "HOMESTACK_CHART_CACHE")}
    os.environ["HOMESTACK_CHART_MIRROR"] = repository.url
    os.environ["HOMESTACK_CHART_CACHE"] = str(tmp_path_factory.mktemp("chart-cache"))
    yield repository
    repository.stop()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value

"""Shared fixtures: paths of the example homelabs and a CLI runner."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from homestack_testing.charts import ChartRepository
from homestack_testing.controlplane.fixtures import _session_cluster, control_plane, kube_cluster

__all__ = ["_session_cluster", "control_plane", "kube_cluster"]

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


_CHARTS: dict[str, ChartRepository] = {}
_SESSION_ENV = ("HOMESTACK_CHART_MIRROR", "HOMESTACK_CHART_CACHE", "HOMESTACK_CACHE_DIR")
_SAVED: dict[str, str | None] = {}


def pytest_configure(config: pytest.Config) -> None:
    """Serve the stand-in charts on loopback as every test's chart mirror, before collection
    (some test modules render the reference homelab at import).

    The chart cache is private to the session, so the first render pulls each chart once over
    loopback and checks it against the reference homelab's charts.lock.
    """
    repository = ChartRepository().start()
    _CHARTS["repository"] = repository
    _SAVED.update({key: os.environ.get(key) for key in _SESSION_ENV})
    os.environ["HOMESTACK_CHART_MIRROR"] = repository.url
    os.environ["HOMESTACK_CHART_CACHE"] = tempfile.mkdtemp(prefix="homestack-charts-")
    # the render cache too: on, as a user has it, but never the user's own
    os.environ["HOMESTACK_CACHE_DIR"] = tempfile.mkdtemp(prefix="homestack-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    repository = _CHARTS.pop("repository", None)
    if repository is not None:
        repository.stop()
        shutil.rmtree(os.environ["HOMESTACK_CHART_CACHE"], ignore_errors=True)
        shutil.rmtree(os.environ["HOMESTACK_CACHE_DIR"], ignore_errors=True)
    for key, value in _SAVED.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def chart_repository() -> ChartRepository:
    """The loopback chart repository serving the stand-in charts."""
    return _CHARTS["repository"]

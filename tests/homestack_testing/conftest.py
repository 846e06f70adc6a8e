"""Fixtures for the fake API server's own tests (and a demo of importing the plugin)."""

from __future__ import annotations

from pathlib import Path

import pytest

from homestack_testing.kubeapi import KubeApiServer
from homestack_testing.kubeapi.client import Client
from homestack_testing.kubectl import Kubectl
from homestack_testing.pytest_plugin import kubeapi, kubeapi_factory

__all__ = ["kubeapi", "kubeapi_factory"]


@pytest.fixture
def api(kubeapi: KubeApiServer) -> Client:
    return Client(kubeapi.url)


@pytest.fixture
def kubectl(kubeapi: KubeApiServer, tmp_path: Path) -> Kubectl:
    """The stock kubectl pointed at this test's server."""
    assert kubeapi.kubeconfig is not None
    return Kubectl(kubeapi.kubeconfig, tmp_path)

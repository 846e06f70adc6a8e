"""Fixtures for the fake API server's own tests (and a demo of importing the plugin)."""

from __future__ import annotations

import pytest

from homestack_testing.kubeapi import KubeApiServer
from homestack_testing.kubeapi.client import Client
from homestack_testing.pytest_plugin import kubeapi, kubeapi_factory

__all__ = ["kubeapi", "kubeapi_factory"]


@pytest.fixture
def api(kubeapi: KubeApiServer) -> Client:
    return Client(kubeapi.url)

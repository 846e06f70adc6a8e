"""Pytest fixtures for the fake Kubernetes API server.

Use from any test folder's conftest.py::

    from homestack_testing.pytest_plugin import kubeapi, kubeapi_factory  # noqa: F401

or, from the root conftest only, ``pytest_plugins = ["homestack_testing.pytest_plugin"]``.

* ``kubeapi``: a started :class:`KubeApiServer` (defaults), stopped after the test; its
  kubeconfig is written to ``tmp_path / "kubeconfig"`` (``server.kubeconfig``).
* ``kubeapi_factory(**options)``: start servers with options (``ready_after_ms``,
  ``faults``, ``latency_ms``, ``crd_delay_ms``, ``storage_classes``...), all stopped after
  the test. Both come with ``HOMELAB_STORAGE_CLASSES`` installed unless told otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from homestack_testing.kubeapi import KubeApiServer
from homestack_testing.kubeapi.samples import HOMELAB_STORAGE_CLASSES


@pytest.fixture
def kubeapi_factory(tmp_path: Path) -> Iterator[Callable[..., KubeApiServer]]:
    started: list[KubeApiServer] = []

    def make(**options: Any) -> KubeApiServer:
        options.setdefault("storage_classes", HOMELAB_STORAGE_CLASSES)
        server = KubeApiServer(**options).start()
        started.append(server)
        server.write_kubeconfig(tmp_path / f"kubeconfig-{len(started)}")
        return server

    yield make
    for server in started:
        server.stop()


@pytest.fixture
def kubeapi(kubeapi_factory: Callable[..., KubeApiServer], tmp_path: Path) -> KubeApiServer:
    server = kubeapi_factory()
    server.write_kubeconfig(tmp_path / "kubeconfig")
    return server

"""Pytest fixtures of the real test cluster. Import them in a conftest::

    from homestack_testing.controlplane.fixtures import control_plane, kube_cluster

* ``control_plane`` (session): one cluster for the whole run, built and started on first
  use; skipped when Go or etcd is missing, a failure instead under ``CI=true``.
* ``kube_cluster``: the same cluster, brought back to how it was after start (every object a
  test made is deleted), so each test meets an empty cluster whatever ran before it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest

from homestack_testing.controlplane.audit import NAMESPACE_CONTROLLER
from homestack_testing.controlplane.build import BuildError
from homestack_testing.controlplane.cluster import ControlPlane
from homestack_testing.controlplane.processes import StartError
from homestack_testing.controlplane.reset import Reset, snapshot


class SessionCluster:
    """The session's cluster with the baseline a reset returns to."""

    def __init__(self, cluster: ControlPlane) -> None:
        self.cluster = cluster
        api = cluster.admin_api()
        try:
            self.baseline = snapshot(api)
        finally:
            api.close()

    def reset(self) -> int:
        self.cluster.set_nodes(self.cluster.default_nodes)
        api = self.cluster.admin_api()
        start = self.cluster.audit.end()
        try:
            reset = Reset(api, self.baseline)
            count = reset.run()
        finally:
            api.close()
        if reset.namespaces:
            self._controller_done(set(reset.namespaces), start)
        return count

    def _controller_done(self, namespaces: set[str], offset: int, quiet: float = 0.3,
                         timeout: float = 8.0) -> None:
        """Wait until the namespace controller stopped emptying the deleted namespaces.

        The reset finalizes them at once, but the controller may still be deleting their
        content by name: a test that makes a namespace of the same name at once would see
        its new objects deleted.
        """
        deadline = time.monotonic() + timeout
        last = time.monotonic()
        while time.monotonic() < deadline and time.monotonic() - last < quiet:
            time.sleep(0.05)
            requests, offset = self.cluster.audit.since(offset)
            if any(r.user == NAMESPACE_CONTROLLER and r.namespace in namespaces
                   for r in requests):
                last = time.monotonic()


@pytest.fixture(scope="session")
def _session_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SessionCluster]:
    try:
        cluster = ControlPlane(tmp_path_factory.mktemp("controlplane")).start()
    except (BuildError, StartError) as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the test control plane is missing: {error}")
        pytest.skip(f"the test control plane cannot start here: {error}")
    try:
        yield SessionCluster(cluster)
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def control_plane(_session_cluster: SessionCluster) -> ControlPlane:
    """The session's real cluster, as it is (tests that share it must not collide)."""
    return _session_cluster.cluster


@pytest.fixture
def kube_cluster(_session_cluster: SessionCluster) -> ControlPlane:
    """The session's real cluster with nothing left from earlier tests."""
    _session_cluster.reset()
    return _session_cluster.cluster

"""The loopback API server stores canonical values (``0.5`` → ``500m``, ``1024Mi`` → ``1Gi``,
empty maps dropped), as a real one does: a no-op plan of a body written otherwise makes no
dry-run and no PATCH."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homestack_testing.kubeapi.client import Client

if TYPE_CHECKING:
    from tests.providers.conftest import KubeLab


def test_a_no_op_plan_of_non_canonical_values_makes_no_dry_run(kubelab: KubeLab) -> None:
    kubelab.edit("web", '"resources": {"requests": {"cpu": "50m", "memory": "64Mi"},',
                 '"resources": {"requests": {"cpu": "0.05", "memory": "65536Ki"},')
    kubelab.edit("web", '"metadata": {"labels": {"app": "web"}},',
                 '"metadata": {"labels": {"app": "web"}, "annotations": {}},')
    assert not kubelab.apply().failed
    live = Client(kubelab.server.url).get("/apis/apps/v1/namespaces/apps/deployments/web").body
    stored = live["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"]
    assert stored == {"cpu": "50m", "memory": "64Mi"}  # the server canonicalised them
    kubelab.server.reset_stats()
    assert not kubelab.plan().has_changes
    assert set(kubelab.server.stats()["by_verb"]) == {"list"}

"""The API server stores canonical values (``0.5`` → ``500m``, ``1024Mi`` → ``1Gi``, empty
maps and zero values of ``omitempty`` fields dropped): a no-op plan of a body written
otherwise makes no dry-run and no PATCH."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homestack.providers.kubernetes.compare import contains, in_sync

if TYPE_CHECKING:
    from tests.providers.conftest import KubeLab


def test_a_no_op_plan_of_non_canonical_values_makes_no_dry_run(kubelab: KubeLab) -> None:
    kubelab.edit("web", '"resources": {"requests": {"cpu": "50m", "memory": "64Mi"},',
                 '"resources": {"requests": {"cpu": "0.05", "memory": "65536Ki"},')
    kubelab.edit("web", '"metadata": {"labels": {"app": "web"}},',
                 '"metadata": {"labels": {"app": "web"}, "annotations": {}},')
    assert not kubelab.apply().failed
    live = kubelab.client.get("/apis/apps/v1/namespaces/apps/deployments/web").body
    stored = live["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"]
    assert stored == {"cpu": "50m", "memory": "64Mi"}  # the server canonicalised them
    kubelab.server.reset_stats()
    assert not kubelab.plan().has_changes
    assert set(kubelab.server.stats()["by_verb"]) == {"list"}


def test_a_zero_value_the_server_omitted_counts_as_held_only_when_applied() -> None:
    desired = {"value": 10, "globalDefault": False,
               "spec": {"containers": [{"name": "web", "stdin": False}]}}
    live = {"value": 10, "spec": {"containers": [{"name": "web"}]}}
    owned = {"f:value": {}, "f:globalDefault": {},
             "f:spec": {"f:containers": {'k:{"name":"web"}': {"f:name": {}, "f:stdin": {}}}}}
    assert contains(live, desired, owned)
    # Not applied yet: the same absence is a change to make.
    assert not contains(live, desired, {"f:value": {}})
    assert not contains(live, {"globalDefault": False})
    assert not contains({"replicas": 1}, {"replicas": 0}, {"f:replicas": {}})
    applied = {**live, "metadata": {"managedFields": [
        {"manager": "homestack", "operation": "Apply", "fieldsV1": owned}]}}
    assert in_sync(applied, desired)

"""The loopback server refuses what kube-apiserver refuses, and Homestack's validate-time checks
refuse exactly the same objects (two independent implementations held against each other)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from homestack.model import manifest_check
from homestack_testing.kubeapi.client import Client

CM = "/api/v1/namespaces/default/configmaps"
SVC = "/api/v1/namespaces/default/services"
DEPLOY = "/apis/apps/v1/namespaces/default/deployments"
NS = "/api/v1/namespaces"
ROLES = "/apis/rbac.authorization.k8s.io/v1/clusterroles"


def _cm(name: str = "c", **meta: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, **meta}}


def _svc(name: str = "web", **port: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
            "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, **port}]}}


def _deploy(container: str = "web", labels: dict[str, Any] | None = None,
            **port: Any) -> dict[str, Any]:
    labels = labels or {"app": "web"}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": labels},
                                  "spec": {"containers": [{
                                      "name": container, "image": "nginx:1.27",
                                      "ports": [{"containerPort": 80, **port}]}]}}}}


CASES = [
    (CM, _cm(), True),
    (CM, _cm("a.b-c"), True),
    (CM, _cm("Bad_Name"), False),
    (CM, _cm("a" * 254), False),
    (CM, _cm("x", labels={"app": "who ami"}), False),
    (CM, _cm("x", labels={"app": "b" * 64}), False),
    (CM, _cm("x", labels={"example.com/app": "A-b_c.d"}), True),
    (CM, _cm("x", labels={"Ex_ample/app": "v"}), False),
    (CM, _cm("x", annotations={"a b": "c"}), False),
    (CM, _cm("x", annotations={"example.org/anything": "any value at all"}), True),
    (SVC, _svc(), True),
    (SVC, _svc("1web"), False),
    (SVC, _svc(port=70000), False),
    (SVC, _svc(targetPort="http"), True),
    (SVC, _svc(targetPort="Web_Port"), False),
    (SVC, _svc(targetPort=0), False),
    (DEPLOY, _deploy(), True),
    (DEPLOY, _deploy("Web"), False),
    (DEPLOY, _deploy(containerPort=70000), False),
    (DEPLOY, _deploy(labels={"app": "web", "tier": "a b"}), False),
    (NS, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a.b"}}, False),
    (ROLES, {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
             "metadata": {"name": "system:reader"}, "rules": []}, True),
]


@pytest.mark.parametrize(("url", "body", "valid"), CASES)
def test_the_server_and_validate_agree(api: Client, url: str, body: dict[str, Any],
                                       valid: bool) -> None:
    response = api.post(url, copy.deepcopy(body))
    assert (response.code == 201) is valid, response.body
    if not valid:
        assert response.code == 422 and response.body["reason"] == "Invalid"
        assert response.body["details"]["causes"][0]["field"]
    assert (manifest_check.problems(body) == []) is valid

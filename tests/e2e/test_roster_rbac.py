"""The roster's RBAC on a real API server: each user, signed in under the name their OIDC
login gives them (their email), is allowed and refused what their role says, as the real
RBAC authorizer decides it (``kubectl auth can-i``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from homestack_testing.controlplane import ControlPlane
from homestack_testing.kubectl import KUBECTL

SITE = '''from homestack import Cluster, Domains, Identity, Role, Site, User

site = Site(
    name="roster", domains=Domains(public="example.org", internal="home.arpa"),
    cluster=Cluster(),
    identity=Identity(users=(
        User(name="alex", role=Role.ADMIN, email="alex@example.org"),
        User(name="sam", role=Role.POWER_USER, email="sam@example.org"),
        User(name="robin", role=Role.NAMESPACE_OWNER, email="robin@example.org",
             namespaces=("robin",)),
        User(name="kim", role=Role.NAMESPACE_OWNER, email="kim@example.org",
             namespaces=("kim",)),
    )),
)
'''
STACK = '''from homestack import Stack, tier
from homestack.kit import tenants

stack = Stack("tenants", tier=tier.AUX)
tenants(stack)
'''
# (user, verb, resource, namespace or "" for every namespace, allowed)
DECISIONS = [
    ("alex@example.org", "delete", "nodes", "", True),
    ("alex@example.org", "get", "secrets", "kim", True),
    ("sam@example.org", "list", "pods", "", True),
    ("sam@example.org", "list", "deployments", "robin", True),
    ("sam@example.org", "get", "secrets", "robin", False),
    ("sam@example.org", "list", "secrets", "", False),
    ("sam@example.org", "create", "pods/exec", "robin", False),
    ("sam@example.org", "delete", "deployments", "robin", False),
    ("robin@example.org", "create", "deployments", "robin", True),
    ("robin@example.org", "get", "secrets", "robin", True),
    ("robin@example.org", "create", "rolebindings", "robin", True),
    ("robin@example.org", "create", "deployments", "kim", False),
    ("robin@example.org", "get", "secrets", "kim", False),
    ("robin@example.org", "list", "pods", "kim", False),
    ("robin@example.org", "list", "nodes", "", True),  # cluster read: nodes, namespaces
    ("robin@example.org", "list", "namespaces", "", True),
    ("robin@example.org", "create", "namespaces", "", False),
    ("kim@example.org", "delete", "configmaps", "kim", True),
    ("kim@example.org", "delete", "configmaps", "robin", False),
    ("nobody@example.org", "list", "pods", "robin", False),
]


@pytest.fixture
def applied(tmp_path: Path, kube_cluster: ControlPlane) -> ControlPlane:
    root = tmp_path / "lab"
    (root / "stacks" / "tenants").mkdir(parents=True)
    (root / "site.py").write_text(SITE)
    (root / "stacks" / "tenants" / "stack.py").write_text(STACK)
    env = {**os.environ, "KUBECONFIG": str(kube_cluster.kubeconfig), "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-m", "homestack", "-C", str(root), "apply",
                           "--yes"], capture_output=True, text=True, env=env, check=False,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return kube_cluster


def _can_i(cluster: ControlPlane, user: str, verb: str, resource: str, namespace: str
           ) -> bool:
    assert KUBECTL is not None
    kubeconfig = cluster.user_kubeconfig(user)
    scope = ["-n", namespace] if namespace else ["--all-namespaces"]
    done = subprocess.run([KUBECTL, "--kubeconfig", str(kubeconfig), "auth", "can-i", verb,
                           resource, *scope], capture_output=True, text=True, check=False,
                          timeout=30, env={"PATH": "/usr/bin:/bin", "HOME": str(
                              kubeconfig.parent)})
    answer = done.stdout.strip()
    assert answer in ("yes", "no"), done.stdout + done.stderr
    return answer == "yes"


def test_each_role_may_do_what_it_says_and_nothing_more(applied: ControlPlane) -> None:
    if KUBECTL is None:
        pytest.fail("kubectl is not installed (bin/setup --dev installs it)")
    wrong = [(user, verb, resource, namespace, allowed)
             for user, verb, resource, namespace, allowed in DECISIONS
             if _can_i(applied, user, verb, resource, namespace) != allowed]
    assert wrong == []

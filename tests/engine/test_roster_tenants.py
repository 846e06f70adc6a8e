"""Tenants follow the roster through plan and apply: a new user plans exactly their objects;
removing one never deletes their namespace without --allow-data-loss."""

from __future__ import annotations

from pathlib import Path

import pytest

from homestack.catalog import load
from homestack.engine import Action, StackOutcome
from homestack_testing.homelabs import copy_homelab
from tests.engine.memory_lab import MemoryLab

ALICE = 'User(name="alice", role=Role.ADMIN, email="alice@example.org"),'
DANA = ('User(name="dana", role=Role.NAMESPACE_OWNER, email="dana@example.org", '
        'namespaces=("dana",)),')
ERIN = ('User(name="erin", role=Role.NAMESPACE_OWNER, email="erin@example.org", '
        'namespaces=("erin",)),')
TENANTS = '''"""People's namespaces from the roster."""

from homestack import Stack, tier
from homestack.kit import tenants

stack = Stack("tenants", tier=tier.AUX, needs=["platform"])
tenants(stack)
'''
ERIN_OBJECTS = {
    "k8s:v1:Namespace:erin",
    "k8s:rbac.authorization.k8s.io/v1:RoleBinding:erin/homestack-erin-admin",
    "k8s:rbac.authorization.k8s.io/v1:ClusterRoleBinding:homestack-erin-namespace-owner",
    "k8s:v1:LimitRange:erin/homestack-limits",
    "k8s:v1:ResourceQuota:erin/homestack-quota",
}


@pytest.fixture
def homelab(small_homelab: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "homelab"
    copy_homelab(small_homelab, copy)
    (copy / "stacks" / "tenants").mkdir()
    (copy / "stacks" / "tenants" / "stack.py").write_text(TENANTS)
    _roster(copy, ALICE + DANA)
    return copy


def _roster(root: Path, users: str) -> None:
    site = root / "site.py"
    text = site.read_text()
    start = text.index("users=(") + len("users=(")
    end = text.index("),\n", start)
    site.write_text(text[:start] + users + text[end:])


def _changes(result, action: Action) -> set[str]:  # type: ignore[no-untyped-def]
    return {str(c.address) for s in result.stacks for c in s.changes if c.action is action}


def test_a_new_user_plans_exactly_their_objects(homelab: Path, tmp_path: Path) -> None:
    lab = MemoryLab(homelab, tmp_path)
    assert not lab.apply().failed
    _roster(homelab, ALICE + DANA + ERIN)
    lab.homelab = load(homelab)
    result = lab.plan()
    assert _changes(result, Action.CREATE) == ERIN_OBJECTS
    assert _changes(result, Action.UPDATE) == set()
    assert _changes(result, Action.DELETE) == set()


def test_removing_a_user_keeps_their_namespace_without_allow_data_loss(
    homelab: Path, tmp_path: Path
) -> None:
    _roster(homelab, ALICE + DANA + ERIN)
    lab = MemoryLab(homelab, tmp_path)
    assert not lab.apply().failed
    assert "k8s:v1:Namespace:erin" in lab.world.objects
    _roster(homelab, ALICE + DANA)
    lab.homelab = load(homelab)
    assert _changes(lab.plan(), Action.DELETE) == ERIN_OBJECTS
    refused = lab.apply()
    tenants = refused.stack("tenants")
    assert tenants is not None and tenants.outcome is StackOutcome.BLOCKED, tenants
    assert "k8s:v1:Namespace:erin" in tenants.error and "--allow-data-loss" in tenants.error
    assert "k8s:v1:Namespace:erin" in lab.world.objects
    assert not lab.apply(allow_data_loss=True).failed
    assert "k8s:v1:Namespace:erin" not in lab.world.objects
    assert "k8s:v1:Namespace:dana" in lab.world.objects

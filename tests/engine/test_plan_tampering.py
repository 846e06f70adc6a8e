"""Whatever a saved plan says, apply deletes only what its Stacks own, under the guards and the
permissions the plan recorded, on the Site and targets it was made for.

These checks hold without the seal (``test_plan_seal``): each tampered plan here is admitted
as if its seal were intact, and still nothing of the world is touched.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from homestack.engine import (
    FailureKind,
    StackOutcome,
    admit,
    apply,
    plan_to_json,
)
from homestack.model import ModelError, Resource
from homestack.model.address import Address
from homestack.model.changeset import Action, Change, ChangeSet, StackChanges
from homestack.providers.memory import MemoryWorld
from tests.engine.memory_lab import MemoryLab, dns_record


@pytest.fixture
def lab(small_homelab: Path, tmp_path: Path) -> MemoryLab:
    return MemoryLab(small_homelab, tmp_path)


def _claim(name: str, namespace: str) -> Resource:
    return Resource.k8s({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                         "metadata": {"name": name, "namespace": namespace},
                         "spec": {"accessModes": ["ReadWriteOnce"],
                                  "resources": {"requests": {"storage": "1Gi"}}}})


def _saved(lab: MemoryLab, **options: object) -> dict[str, Any]:
    planned = lab.plan(confirm=False, **options)
    return json.loads(json.dumps(plan_to_json(planned, lab.targets(),
                                              lab.homelab.site.name)))


def _changes(data: dict[str, Any], stack: str) -> list[dict[str, Any]]:
    return next(s for s in data["stacks"] if s["stack"] == stack)["changes"]


def _admit(lab: MemoryLab, data: dict[str, Any]) -> ChangeSet:
    return admit(data, lab.desired(), lab.targets(), lab.store, lab.options)


def _refused(lab: MemoryLab, data: dict[str, Any], words: str) -> None:
    before = dict(lab.world.objects)
    log = list(lab.world.log)
    with pytest.raises(ModelError) as caught:
        _admit(lab, data)
    assert words in str(caught.value)
    assert lab.world.objects == before and lab.world.log == log


def test_an_update_turned_into_a_delete_is_refused(lab: MemoryLab) -> None:
    lab.apply()
    lab.extra["whoami"] = [dns_record("whoami.home.arpa", "10.0.20.99")]
    data = _saved(lab)
    change = next(c for c in _changes(data, "whoami") if c["action"] == "update")
    change["action"] = "delete"
    _refused(lab, data, "which does not own it now")


def test_a_delete_of_another_stacks_object_is_refused(lab: MemoryLab) -> None:
    lab.apply()
    data = _saved(lab)
    theirs = next(a for a, stored in lab.world.objects.items() if stored.stack == "platform")
    _changes(data, "whoami").append({**_changes(data, "whoami")[0], "address": theirs,
                                     "action": "delete", "content_hash": None})
    _refused(lab, data, f"deletes {theirs} from Stack whoami")


def test_a_delete_of_kube_system_is_refused_however_it_got_into_the_plan(
        lab: MemoryLab) -> None:
    lab.apply()
    data = _saved(lab)
    _changes(data, "whoami").append({**_changes(data, "whoami")[0], "action": "delete",
                                     "address": "k8s:v1:Namespace:kube-system",
                                     "content_hash": None})
    _refused(lab, data, "k8s:v1:Namespace:kube-system")


def test_the_cluster_namespaces_are_never_deleted_even_when_a_stack_recorded_one(
        lab: MemoryLab) -> None:
    lab.world.put("k8s:v1:Namespace:kube-system", {"kind": "Namespace"}, "whoami")
    planned = ChangeSet((StackChanges("whoami", (Change(
        "whoami", Address.parse("k8s:v1:Namespace:kube-system"), Action.DELETE),)),))
    result = apply(lab.desired(), lab.targets(), lab.store, lab.options, planned)
    whoami = result.stack("whoami")
    assert whoami is not None and whoami.outcome is StackOutcome.BLOCKED
    assert "never deletes k8s:v1:Namespace:kube-system" in whoami.error
    assert "k8s:v1:Namespace:kube-system" in lab.world.objects


def test_a_blocked_data_loss_made_to_look_planned_is_blocked_again(lab: MemoryLab) -> None:
    lab.extra["whoami"] = [dns_record("whoami.home.arpa"), _claim("data", "whoami")]
    lab.apply()
    lab.extra["whoami"] = [dns_record("whoami.home.arpa")]
    data = _saved(lab)
    whoami = next(s for s in data["stacks"] if s["stack"] == "whoami")
    assert whoami["outcome"] == "blocked"
    whoami.update(outcome="planned", error="", failure=None)
    result = apply(lab.desired(), lab.targets(), lab.store, lab.options, _admit(lab, data))
    stack = result.stack("whoami")
    assert stack is not None and stack.outcome is StackOutcome.BLOCKED
    assert stack.failure is FailureKind.GUARD and "--allow-data-loss" in stack.error
    assert "k8s:v1:PersistentVolumeClaim:whoami/data" in lab.world.objects


def test_a_permission_the_plan_did_not_record_is_not_granted(lab: MemoryLab) -> None:
    lab.extra["whoami"] = [dns_record("whoami.home.arpa"), _claim("data", "whoami")]
    lab.apply()
    lab.extra["whoami"] = [dns_record("whoami.home.arpa")]
    allowed = _saved(lab, allow_data_loss=True)
    assert allowed["permissions"]["allow_data_loss"] is True
    result = apply(lab.desired(), lab.targets(), lab.store, lab.options, _admit(lab, allowed))
    assert "k8s:v1:PersistentVolumeClaim:whoami/data" not in lab.world.objects
    assert not result.failed


@pytest.mark.parametrize("where", ["same stack", "other stack"])
def test_a_change_listed_twice_is_refused(lab: MemoryLab, where: str) -> None:
    data = _saved(lab)
    change = copy.deepcopy(next(c for c in _changes(data, "whoami") if c["action"] == "create"))
    if where == "same stack":
        _changes(data, "whoami").append(change)
    else:  # another Stack deletes what this one creates
        _changes(data, "platform").append({**change, "action": "delete", "content_hash": None})
    _refused(lab, data, "twice" if where == "same stack" else "in several Stacks")


def test_a_plan_for_another_site_is_refused(lab: MemoryLab) -> None:
    data = _saved(lab)
    data["site"] = "otherlab"
    _refused(lab, data, "made for Site 'otherlab'")


def test_a_plan_for_other_targets_is_refused(lab: MemoryLab) -> None:
    data = _saved(lab)
    lab.world = MemoryWorld()  # another system at the same names
    with pytest.raises(ModelError) as caught:
        _admit(lab, data)
    assert "made for other targets" in str(caught.value)
    assert lab.world.log == []


def test_a_plan_without_a_provider_it_was_made_with_is_refused(lab: MemoryLab) -> None:
    data = _saved(lab)
    lab.dns_configured = False
    with pytest.raises(ModelError, match="dns: planned for memory:dns-twin"):
        _admit(lab, data)


def test_an_untouched_plan_with_deletes_is_admitted(lab: MemoryLab) -> None:
    lab.apply()
    lab.extra["whoami"] = []
    data = _saved(lab)
    approved = _admit(lab, data)
    result = apply(lab.desired(), lab.targets(), lab.store, lab.options, approved)
    assert not result.failed
    assert "dns:rfc2136:A:whoami.home.arpa" not in lab.world.objects

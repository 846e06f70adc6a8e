"""Field-ownership conformance cases, modelled on the behaviour structured-merge-diff
documents in its merge tests (merge/leaf_test.go: apply twice, apply/update/apply with
and without a conflict, forced, apply twice remove, update apply omits, apply remove
empty set; plus dangling fields, shared ownership and list items) and on the Kubernetes
server-side apply documentation (defaults belong to the creating updater, a field
dropped from a configuration stays while another manager owns it).

Each case is data: steps (apply / update / create by a manager) and the expected final
data, owners per manager, or the conflict."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from homestack_testing.kubeapi.client import Client
from homestack_testing.kubeapi.samples import DEPLOY_URL, deployment

CM = "/api/v1/namespaces/default/configmaps"


@dataclass
class Step:
    op: str  # "apply", "update" (PUT of the whole object) or "create" (POST)
    manager: str
    data: dict[str, str]
    force: bool = False


@dataclass
class Case:
    name: str
    steps: list[Step]
    data: dict[str, str] | None = None
    owners: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    conflict: str = ""


CASES = [
    Case("apply_twice",
         [Step("apply", "alice", {"a": "1", "b": "s"}),
          Step("apply", "alice", {"a": "2", "b": "s", "c": "false"})],
         data={"a": "2", "b": "s", "c": "false"},
         owners={("alice", "Apply"): {"a", "b", "c"}}),
    Case("apply_update_apply_no_overlap",
         [Step("apply", "alice", {"a": "1", "b": "s"}),
          Step("update", "ctrl", {"a": "1", "b": "s", "c": "true"}),
          Step("apply", "alice", {"a": "2", "b": "s"})],
         data={"a": "2", "b": "s", "c": "true"},
         owners={("alice", "Apply"): {"a", "b"}, ("ctrl", "Update"): {"c"}}),
    Case("apply_update_apply_with_overlap",
         [Step("apply", "alice", {"a": "1", "b": "s"}),
          Step("update", "ctrl", {"a": "1", "b": "from-ctrl", "c": "true"}),
          Step("apply", "alice", {"a": "2", "b": "s"})],
         conflict='Apply failed with 1 conflict: conflict with "ctrl" using v1: .data.b'),
    Case("apply_update_apply_with_overlap_forced",
         [Step("apply", "alice", {"a": "1", "b": "s"}),
          Step("update", "ctrl", {"a": "1", "b": "from-ctrl", "c": "true"}),
          Step("apply", "alice", {"a": "2", "b": "s"}, force=True)],
         data={"a": "2", "b": "s", "c": "true"},
         owners={("alice", "Apply"): {"a", "b"}, ("ctrl", "Update"): {"c"}}),
    Case("apply_twice_dangling",
         [Step("apply", "alice", {"a": "1", "b": "s", "c": "true"}),
          Step("apply", "alice", {"a": "2", "b": "s"})],
         data={"a": "2", "b": "s"},
         owners={("alice", "Apply"): {"a", "b"}}),
    Case("dropped_field_kept_while_another_applier_owns_it",
         [Step("apply", "alice", {"a": "1", "b": "s"}),
          Step("apply", "bob", {"b": "s"}),
          Step("apply", "alice", {"a": "1"})],
         data={"a": "1", "b": "s"},
         owners={("alice", "Apply"): {"a"}, ("bob", "Apply"): {"b"}}),
    Case("dropped_field_kept_while_an_updater_owns_it",
         [Step("create", "helm", {"a": "1", "b": "s"}),
          Step("apply", "alice", {"a": "1", "b": "s"}),
          Step("apply", "alice", {"a": "1"})],
         data={"a": "1", "b": "s"},
         owners={("alice", "Apply"): {"a"}, ("helm", "Update"): {"a", "b"}}),
    Case("update_takes_changed_fields_from_the_applier",
         [Step("apply", "alice", {"a": "1", "b": "s"}),
          Step("update", "ctrl", {"a": "1", "b": "t"}),
          Step("apply", "alice", {"a": "1"})],
         data={"a": "1", "b": "t"},
         owners={("alice", "Apply"): {"a"}, ("ctrl", "Update"): {"b"}}),
    Case("update_apply_omits",
         [Step("apply", "alice", {"a": "2"}),
          Step("update", "ctrl", {"a": "1"}),
          Step("apply", "alice", {})],
         data={"a": "1"},
         owners={("ctrl", "Update"): {"a"}}),
    Case("apply_twice_remove",
         [Step("apply", "alice", {"a": "1", "b": "s", "c": "false"}),
          Step("apply", "alice", {"b": "new"})],
         data={"b": "new"},
         owners={("alice", "Apply"): {"b"}}),
    Case("apply_remove_empty_set",
         [Step("apply", "alice", {"b": "s"}),
          Step("apply", "alice", {})],
         data=None),
    Case("update_that_changes_nothing_owns_nothing",
         [Step("apply", "alice", {"a": "1", "b": "s"}),
          Step("update", "ctrl", {"a": "1", "b": "s"}),
          Step("apply", "alice", {"a": "1"})],
         data={"a": "1"},
         owners={("alice", "Apply"): {"a"}}),
]


def _configmap(data: dict[str, str], rv: str | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": "cm"}
    if rv:
        meta["resourceVersion"] = rv
    out: dict[str, Any] = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta}
    if data:
        out["data"] = data
    return out


def _owners(obj: dict[str, Any]) -> dict[tuple[str, str], set[str]]:
    out = {}
    for entry in obj["metadata"].get("managedFields") or []:
        keys = {k[2:] for k in (entry["fieldsV1"].get("f:data") or {}) if k.startswith("f:")}
        if keys:
            out[(entry["manager"], entry["operation"])] = keys
    return out


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_ownership_case(api: Client, case: Case) -> None:
    last = None
    for step in case.steps:
        if step.op == "apply":
            last = api.apply(f"{CM}/cm", _configmap(step.data), manager=step.manager,
                             force=step.force)
        elif step.op == "create":
            last = api.post(f"{CM}?fieldManager={step.manager}", _configmap(step.data))
        else:
            rv = api.get(f"{CM}/cm").body["metadata"]["resourceVersion"]
            last = api.put(f"{CM}/cm?fieldManager={step.manager}", _configmap(step.data, rv))
    assert last is not None
    if case.conflict:
        assert last.code == 409 and last.body["message"] == case.conflict
        return
    assert last.ok, last.body
    live = api.get(f"{CM}/cm").body
    assert live.get("data") == case.data
    assert _owners(live) == case.owners


def test_defaults_belong_to_the_creating_updater(api: Client) -> None:
    """Adoption of an object another tool created: its defaults conflict, as on a real
    cluster (the creating updater owns spec.strategy.type, which it never sent)."""
    created = api.post(f"{DEPLOY_URL}?fieldManager=helm", deployment("web")).body
    helm = next(e for e in created["metadata"]["managedFields"] if e["manager"] == "helm")
    assert "f:type" in helm["fieldsV1"]["f:spec"]["f:strategy"]
    assert "f:revisionHistoryLimit" in helm["fieldsV1"]["f:spec"]
    assert "f:clusterIP" not in str(helm["fieldsV1"])
    adopt = deployment("web")
    adopt["spec"]["strategy"] = {"type": "Recreate", "rollingUpdate": None}
    r = api.apply(f"{DEPLOY_URL}/web", adopt, manager="homestack")
    assert r.code == 409
    assert r.body["message"] == ('Apply failed with 2 conflicts: conflicts with "helm" using '
                                 "apps/v1:\n- .spec.strategy.rollingUpdate\n"
                                 "- .spec.strategy.type")


def test_defaults_of_an_applier_belong_to_nobody(api: Client) -> None:
    created = api.apply(f"{DEPLOY_URL}/web", deployment("web"), manager="alice").body
    entry = created["metadata"]["managedFields"][0]
    assert "f:strategy" not in entry["fieldsV1"]["f:spec"]
    other = deployment("web")
    other["spec"]["revisionHistoryLimit"] = 3
    assert api.apply(f"{DEPLOY_URL}/web", other, manager="bob").code == 200


def test_list_item_dropped_stays_while_another_applier_declares_it(api: Client) -> None:
    two = deployment("web")
    sidecar = {"name": "sidecar", "image": "busybox:1"}
    two["spec"]["template"]["spec"]["containers"].append(sidecar)
    api.apply(f"{DEPLOY_URL}/web", two, manager="alice")
    mesh = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"template": {"spec": {"containers": [sidecar]}}}}
    assert api.apply(f"{DEPLOY_URL}/web", mesh, manager="mesh").code == 200
    r = api.apply(f"{DEPLOY_URL}/web", deployment("web"), manager="alice")
    names = [c["name"] for c in r.body["spec"]["template"]["spec"]["containers"]]
    assert names == ["main", "sidecar"]
    api.apply(f"{DEPLOY_URL}/web", {**mesh, "spec": {"template": {"spec": {
        "containers": []}}}}, manager="mesh")
    names = [c["name"] for c in api.get(f"{DEPLOY_URL}/web").body["spec"]["template"]["spec"][
        "containers"]]
    assert names == ["main"]

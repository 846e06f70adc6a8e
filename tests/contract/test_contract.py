"""The Kubernetes contract: the same scenarios against every backend (see conftest.py) —
apply, conflict, force, immutable replace, namespace termination, prune and drift. What
passes against the loopback server must pass against a real cluster unchanged."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homestack.engine import Action, FailureKind
from homestack.providers.kubernetes import KubeOptions

if TYPE_CHECKING:
    from homestack.engine import ChangeSet
    from tests.contract.conftest import ContractLab

BASE = '''from homestack import Stack
from homestack.kit import raw

stack = Stack("base", namespace="NS")
raw(stack, [
    {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "NS"}},
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"},
     "data": {"mode": "fast", "level": "1"}},
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "extra"},
     "data": {"kept": "for now"}},
])
'''
JOBS = '''from homestack import Stack
from homestack.kit import raw

stack = Stack("jobs", namespace="NS", needs=["base"])
raw(stack, {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "once"},
            "spec": {"backoffLimit": 2, "template": {"spec": {
                "restartPolicy": "Never",
                "containers": [{"name": "once", "image": "docker.io/library/busybox:1.36",
                                "command": ["true"],
                                "resources": {"requests": {"cpu": "10m", "memory": "16Mi"},
                                              "limits": {"memory": "16Mi"}}}]}}}})
'''


def _change(changeset: ChangeSet, kind: str, name: str):  # type: ignore[no-untyped-def]
    [found] = [c for s in changeset.stacks for c in s.changes
               if c.address.kind == kind and c.address.name == name]
    return found


def _applied(lab: ContractLab, names: list[str] | None = None, **options: object) -> None:
    result = lab.apply(names, **options)  # type: ignore[arg-type]
    assert not result.failed, [(s.stack, s.error) for s in result.failed]


def _settings(lab: ContractLab) -> dict[str, str]:
    live = lab.get("configmap", "settings")
    assert live is not None
    return dict(live["data"])


def test_apply_then_a_plan_is_clean(lab: ContractLab) -> None:
    lab.stack("base", BASE)
    _applied(lab)
    assert _settings(lab) == {"mode": "fast", "level": "1"}
    assert not lab.plan().has_changes


def test_a_conflict_is_reported_and_force_takes_it_back(lab: ContractLab) -> None:
    lab.stack("base", BASE)
    _applied(lab)
    intruder = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n"
                f"  namespace: {lab.namespace}\ndata:\n  mode: slow\n")
    done = lab.kubectl.apply(intruder, "--field-manager=intruder", "--force-conflicts")
    assert done.returncode == 0, done.stderr
    planned = lab.plan()
    change = _change(planned, "ConfigMap", "settings")
    # A planned update with a conflict, not a failure: apply refuses it unless forced.
    assert change.action is Action.UPDATE and not planned.failed
    assert change.conflict is not None and change.conflict.kind is FailureKind.CONFLICT
    assert "intruder" in change.conflict.managers
    refused = lab.apply()
    assert [s.stack for s in refused.failed] == ["base"]
    assert _settings(lab)["mode"] == "slow"  # reported, never overwritten
    _applied(lab, kube=KubeOptions(poll=lab.kube_options.poll,
                                   timeout=lab.kube_options.timeout, force_conflicts=True))
    assert _settings(lab)["mode"] == "fast"
    assert not lab.plan().has_changes


def test_an_immutable_change_is_applied_as_a_replace(lab: ContractLab) -> None:
    lab.stack("base", BASE)
    lab.stack("jobs", JOBS)
    _applied(lab)
    before = lab.get("job", "once")
    assert before is not None
    lab.stack("jobs", JOBS.replace("busybox:1.36", "busybox:1.37"))
    change = _change(lab.plan(), "Job", "once")
    assert change.action is Action.REPLACE
    assert change.fields[0].startswith("spec.template: immutable")
    _applied(lab)
    after = lab.get("job", "once")
    assert after is not None and after["metadata"]["uid"] != before["metadata"]["uid"]
    assert after["spec"]["template"]["spec"]["containers"][0]["image"].endswith("1.37")
    assert not lab.plan().has_changes


def test_destroy_waits_for_namespace_termination_and_apply_converges(lab: ContractLab
                                                                     ) -> None:
    lab.stack("base", BASE)
    _applied(lab)
    destroyed = lab.destroy(["base"])
    assert not destroyed.failed, [(s.stack, s.error) for s in destroyed.failed]
    assert lab.get("namespace", lab.namespace) is None  # gone, not Terminating
    _applied(lab)
    assert _settings(lab)["mode"] == "fast"
    assert not lab.plan().has_changes


def test_an_object_that_leaves_the_stack_is_pruned(lab: ContractLab) -> None:
    lab.stack("base", BASE)
    _applied(lab)
    assert lab.get("configmap", "extra") is not None
    lab.stack("base", BASE.replace(
        '    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "extra"},\n'
        '     "data": {"kept": "for now"}},\n', ""))
    assert _change(lab.plan(), "ConfigMap", "extra").action is Action.DELETE
    _applied(lab)
    assert lab.get("configmap", "extra") is None
    assert not lab.plan().has_changes


def test_an_edit_from_outside_is_drift_and_apply_restores_it(lab: ContractLab) -> None:
    lab.stack("base", BASE)
    _applied(lab)
    lab.out_of_band("patch", "configmap", "settings", "-n", lab.namespace, "--type", "merge",
                    "-p", '{"data": {"level": "9"}}')
    # kubectl patch is an Update manager: it now owns the field it changed, so the plan
    # reports the drift as a conflict naming it and the field (a real cluster does the same).
    change = _change(lab.plan(), "ConfigMap", "settings")
    assert change.action is Action.UPDATE and change.failure is None
    assert change.conflict is not None and change.conflict.kind is FailureKind.CONFLICT
    assert change.conflict.managers == ("kubectl-patch",)
    assert change.conflict.fields == (".data.level",)
    _applied(lab, kube=KubeOptions(poll=lab.kube_options.poll,
                                   timeout=lab.kube_options.timeout, force_conflicts=True))
    assert _settings(lab)["level"] == "1"
    assert not lab.plan().has_changes

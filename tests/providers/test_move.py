"""Moving objects between Stacks keeps them (same UID): the plan shows ``move``, labels and
records follow; ``state mv`` renames a Stack's record and its objects follow on the next apply."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

from homestack.model.changeset import Action
from homestack.state import SqliteStore

if TYPE_CHECKING:
    from tests.providers.conftest import KubeLab

ROLE = ('{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", '
        '"metadata": {"name": "reader"}, "rules": [{"apiGroups": [""], '
        '"resources": ["configmaps"], "verbs": ["get"]}]}')
KEPT = 'raw(stack, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "kept"}})\n'
PVC_PATH = "/api/v1/namespaces/apps/persistentvolumeclaims/files"
ROLE_PATH = "/apis/rbac.authorization.k8s.io/v1/clusterroles/reader"
PVC = "k8s:v1:PersistentVolumeClaim:apps/files"
ROLE_ADDRESS = "k8s:rbac.authorization.k8s.io/v1:ClusterRole:reader"


def _homestack(lab: KubeLab, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KUBECONFIG": str(lab.kubeconfig), "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "homestack", "-C", str(lab.root), *args],
                          capture_output=True, text=True, env=env, check=False, timeout=120)


def _meta(lab: KubeLab, path: str) -> dict[str, object]:
    got = lab.client.get(path)
    assert got.ok, got.body
    return dict(got.body["metadata"])


def _stack_label(lab: KubeLab, path: str) -> str:
    labels = _meta(lab, path)["labels"]
    assert isinstance(labels, dict)
    return str(labels["homestack.dev/stack"])


def _append(lab: KubeLab, stack: str, text: str) -> None:
    path = lab.root / "stacks" / stack / "stack.py"
    path.write_text(path.read_text() + text)


def _recorded(lab: KubeLab, stack: str) -> set[str]:
    store = SqliteStore(lab.root / ".homestack" / "state.db")
    try:
        record = store.read_stack(stack)
        return {r.address for r in record.resources} if record else set()
    finally:
        store.close()


def test_a_cluster_role_and_a_pvc_move_between_stacks_in_place(kubelab: KubeLab) -> None:
    _append(kubelab, "base", f"raw(stack, {ROLE})\n")
    assert not kubelab.apply().failed
    uids = {p: _meta(kubelab, p)["uid"] for p in (PVC_PATH, ROLE_PATH)}
    # The ClusterRole moves from base to web; the PVC from data to tail (data keeps a map).
    kubelab.edit("base", f"raw(stack, {ROLE})\n", "")
    _append(kubelab, "web", f"raw(stack, {ROLE})\n")
    data = kubelab.root / "stacks" / "data" / "stack.py"
    claim = data.read_text()[data.read_text().index("raw(stack"):]
    data.write_text(data.read_text().replace(claim, KEPT))
    tail = kubelab.root / "stacks" / "tail" / "stack.py"
    tail.write_text(tail.read_text() + claim)
    planned = kubelab.plan()
    actions = {(s.stack, str(c.address)): c.action for s in planned.stacks for c in s.changes}
    assert actions[("web", ROLE_ADDRESS)] is Action.MOVE
    assert actions[("base", ROLE_ADDRESS)] is Action.MOVE
    assert actions[("tail", PVC)] is Action.MOVE
    assert actions[("data", PVC)] is Action.MOVE
    assert Action.DELETE not in actions.values() and not planned.failed
    applied = kubelab.apply()
    assert not applied.failed, [s.error for s in applied.failed]
    assert {p: _meta(kubelab, p)["uid"] for p in uids} == uids
    assert _stack_label(kubelab, ROLE_PATH) == "web"
    assert _stack_label(kubelab, PVC_PATH) == "tail"
    assert PVC in _recorded(kubelab, "tail") and PVC not in _recorded(kubelab, "data")
    assert ROLE_ADDRESS in _recorded(kubelab, "web")
    assert ROLE_ADDRESS not in _recorded(kubelab, "base")
    assert not kubelab.plan().has_changes


def test_state_mv_renames_a_stack_and_keeps_every_object(kubelab: KubeLab) -> None:
    assert not kubelab.apply().failed
    before = {p: _meta(kubelab, p)["uid"] for p in (PVC_PATH,)}
    moved = _homestack(kubelab, "state", "mv", "data", "files")
    assert moved.returncode == 0, moved.stdout + moved.stderr
    assert PVC in _recorded(kubelab, "files") and not _recorded(kubelab, "data")
    stack_file = kubelab.root / "stacks" / "data" / "stack.py"
    stack_file.write_text(stack_file.read_text().replace('Stack("data"', 'Stack("files"'))
    (kubelab.root / "stacks" / "data").rename(kubelab.root / "stacks" / "files")
    planned = kubelab.plan()
    files = planned.stack("files")
    assert files is not None
    assert {c.action for c in files.changes if str(c.address) == PVC} == {Action.MOVE}
    assert not any(c.action is Action.DELETE for s in planned.stacks for c in s.changes)
    assert not kubelab.apply().failed
    assert {p: _meta(kubelab, p)["uid"] for p in before} == before
    assert _stack_label(kubelab, PVC_PATH) == "files"
    assert not kubelab.plan().has_changes
    refused = _homestack(kubelab, "state", "mv", "files", "web")
    assert refused.returncode == 3 and "web" in refused.stdout + refused.stderr


def test_applying_only_the_giving_stack_keeps_the_object(kubelab: KubeLab) -> None:
    assert not kubelab.apply().failed
    uid = _meta(kubelab, PVC_PATH)["uid"]
    data = kubelab.root / "stacks" / "data" / "stack.py"
    claim = data.read_text()[data.read_text().index("raw(stack"):]
    data.write_text(data.read_text().replace(claim, KEPT))
    _append(kubelab, "tail", claim)
    given = _homestack(kubelab, "apply", "data", "--yes")
    assert given.returncode == 0, given.stdout + given.stderr
    assert _meta(kubelab, PVC_PATH)["uid"] == uid
    taken = _homestack(kubelab, "apply", "tail", "--yes")
    assert taken.returncode == 0, taken.stdout + taken.stderr
    assert _meta(kubelab, PVC_PATH)["uid"] == uid
    assert _stack_label(kubelab, PVC_PATH) == "tail"
    assert _homestack(kubelab, "plan", "--detailed-exitcode").returncode == 0

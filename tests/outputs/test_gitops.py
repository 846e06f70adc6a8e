"""The GitOps target with real git: one commit per changing run, folders follow Stacks."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

import yaml

from homestack.catalog import load
from homestack.engine import EngineOptions, StackOutcome, order
from homestack.model import GitopsFlavour
from homestack.providers.gitops import GitRepo
from homestack.state import SqliteStore

if TYPE_CHECKING:
    from tests.outputs.conftest import Lab


def test_first_apply_creates_the_tree_and_one_commit(lab: Lab) -> None:
    result = lab.apply()
    assert not result.failed
    assert len(lab.commits()) == 1
    files = set(lab.git("ls-files").split())
    assert "stacks/whoami/deployment-whoami-whoami.yaml" in files
    assert "stacks/whoami/kustomization.yaml" in files
    assert "flux/whoami.yaml" in files
    assert "flux/kustomization.yaml" in files


def test_second_apply_makes_no_commit(lab: Lab) -> None:
    lab.apply()
    again = lab.apply()
    assert not again.has_changes
    assert len(lab.commits()) == 1
    assert set(lab.plan().counts()) == {"unchanged"}


def test_changing_one_stack_changes_only_its_folder(lab: Lab) -> None:
    lab.apply()
    path = lab.stack_file("whoami")
    path.write_text(path.read_text().replace('"replicas": 1', '"replicas": 3'))
    result = lab.apply()
    assert [s.stack for s in result.stacks if s.outcome is StackOutcome.APPLIED] == ["whoami"]
    assert len(lab.commits()) == 2
    changed = lab.git("diff", "--name-only", "HEAD~1", "HEAD").split()
    assert changed == ["stacks/whoami/deployment-whoami-whoami.yaml"]
    assert "whoami" in lab.git("log", "-1", "--format=%B")


def test_removing_a_stack_removes_its_folder(lab: Lab) -> None:
    lab.apply()
    shutil.rmtree(lab.root / "stacks" / "notes")
    refused = lab.apply()
    [blocked] = refused.failed
    assert "left the homelab" in blocked.error  # a vanished folder prunes nothing by itself
    refused = lab.apply(EngineOptions(parallelism=2, allow_prune=True))
    [blocked] = refused.failed
    assert "k8s:v1:Namespace:notes" in blocked.error  # its Namespace holds data
    result = lab.apply(EngineOptions(parallelism=2, allow_prune=True, allow_data_loss=True))
    assert not result.failed, [s.error for s in result.failed]
    files = lab.git("ls-files").split()
    assert not [f for f in files if f.startswith("stacks/notes/")]
    assert "flux/notes.yaml" not in files
    index = yaml.safe_load((lab.repo / "flux" / "kustomization.yaml").read_text())
    assert "notes.yaml" not in index["resources"]


def test_flux_depends_on_matches_the_dag(lab: Lab) -> None:
    lab.apply()
    graph = order(load(lab.root))
    for name, needs in graph.needs.items():
        body = yaml.safe_load((lab.repo / "flux" / f"{name}.yaml").read_text())
        assert body["apiVersion"] == "kustomize.toolkit.fluxcd.io/v1"
        assert body["kind"] == "Kustomization"
        assert body["spec"]["prune"] is True
        assert body["spec"]["wait"] is True
        assert body["spec"]["path"] == f"./stacks/{name}"
        declared = [d["name"] for d in body["spec"].get("dependsOn", [])]
        assert declared == sorted(needs)


def test_argo_flavour_writes_applications_with_sync_waves(lab: Lab) -> None:
    lab.flavour = GitopsFlavour.ARGOCD
    lab.apply()
    graph = order(load(lab.root))
    for name in graph.needs:
        body = yaml.safe_load((lab.repo / "argocd" / f"{name}.yaml").read_text())
        assert body["kind"] == "Application"
        wave = body["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"]
        assert wave == str(graph.wave_of(name))
        assert body["spec"]["source"]["path"] == f"stacks/{name}"


def test_deleting_a_pvc_file_needs_the_flag(lab: Lab) -> None:
    path = lab.stack_file("whoami")
    original = path.read_text()
    path.write_text(original + '''
raw(stack, {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": {"name": "data"},
            "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "proxmox-lvm",
                     "resources": {"requests": {"storage": "1Gi"}}}})
''')
    lab.apply()
    path.write_text(original)
    refused = lab.apply()
    [blocked] = refused.failed
    assert blocked.outcome is StackOutcome.BLOCKED
    assert "k8s:v1:PersistentVolumeClaim:whoami/data" in blocked.error
    assert "--allow-data-loss" in blocked.error
    assert "stacks/whoami/persistentvolumeclaim-whoami-data.yaml" in lab.git("ls-files")
    allowed = lab.apply(EngineOptions(parallelism=2, allow_data_loss=True))
    assert not allowed.failed
    assert "persistentvolumeclaim" not in lab.git("ls-files")


def test_secret_values_never_reach_the_repository(lab: Lab) -> None:
    planted = "planted-value-7f3a9c"
    path = lab.stack_file("notes")
    path.write_text(path.read_text() + f'''
raw(stack, {{"apiVersion": "v1", "kind": "Secret", "metadata": {{"name": "leak"}},
            "stringData": {{"password": "{planted}"}}}})
''')
    result = lab.apply()
    [failed] = result.failed
    assert failed.stack == "notes"
    assert "ExternalSecret" in failed.error
    history = lab.git("log", "--all", "-p") if lab.commits() else ""
    assert planted not in history
    assert planted not in "".join(p.read_text() for p in lab.repo.rglob("*.yaml"))


def test_state_records_the_commit_per_stack(lab: Lab) -> None:
    result = lab.apply()
    store = SqliteStore(lab.root / ".homestack" / "state.db")
    try:
        record = store.read_stack("whoami")
    finally:
        store.close()
    assert record is not None
    assert record.target == "gitops"
    assert record.gitops_commit == result.commit == lab.commits()[0]


def test_killed_run_is_finished_by_the_next(lab: Lab) -> None:
    lab.apply()
    path = lab.stack_file("whoami")
    path.write_text(path.read_text().replace('"replicas": 1', '"replicas": 2'))
    # a run that wrote the file (through the repository, which notes what it writes) but
    # died before committing
    relative = "stacks/whoami/deployment-whoami-whoami.yaml"
    target_file = lab.repo / relative
    GitRepo(lab.repo).write(relative, target_file.read_text().replace("replicas: 1",
                                                                       "replicas: 2"))
    result = lab.apply()
    assert not result.failed
    assert len(lab.commits()) == 2
    assert "replicas: 2" in lab.git("show", "HEAD:stacks/whoami/deployment-whoami-whoami.yaml")

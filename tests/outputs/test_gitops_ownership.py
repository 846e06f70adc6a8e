"""The GitOps target commits only what it writes, on its branch, over no one's uncommitted work."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
import yaml

from homestack.providers.errors import ProviderError

if TYPE_CHECKING:
    from tests.outputs.conftest import Lab

DEPLOY = "stacks/whoami/deployment-whoami-whoami.yaml"


def _edit_whoami(lab: Lab, replicas: int) -> None:
    path = lab.stack_file("whoami")
    text = path.read_text()
    path.write_text(text.replace('"replicas": 1', f'"replicas": {replicas}'))


def test_untracked_and_staged_files_of_the_user_stay_out_of_the_commit(lab: Lab) -> None:
    lab.apply()
    (lab.repo / ".env").write_text("TOKEN=planted-token-5e1d\n")
    (lab.repo / "stacks" / "whoami" / "extra.yaml").write_text("kind: ConfigMap\n")
    (lab.repo / "notes.txt").write_text("work in progress\n")
    lab.git("add", "notes.txt")
    _edit_whoami(lab, 2)
    result = lab.apply()
    assert not result.failed, [s.error for s in result.failed]
    assert lab.git("diff", "--name-only", "HEAD~1", "HEAD").split() == [DEPLOY]
    assert "planted-token-5e1d" not in lab.git("log", "--all", "-p")
    status = lab.git("status", "--porcelain").splitlines()
    assert "?? .env" in status and "A  notes.txt" in status
    listed = yaml.safe_load((lab.repo / "stacks/whoami/kustomization.yaml").read_text())
    assert "extra.yaml" not in listed["resources"]


def test_foreign_yaml_never_joins_a_kustomization(lab: Lab) -> None:
    lab.apply()
    (lab.repo / "stacks" / "notes" / "mine.yaml").write_text("kind: ConfigMap\n")
    (lab.repo / "stacks" / "mystack").mkdir()
    (lab.repo / "stacks" / "mystack" / "a.yaml").write_text("kind: ConfigMap\n")
    path = lab.stack_file("notes")
    path.write_text(path.read_text().replace('("alice", "bob")', '("alice", "bob", "carol")'))
    result = lab.apply()
    assert not result.failed, [s.error for s in result.failed]
    notes = yaml.safe_load(lab.git("show", "HEAD:stacks/notes/kustomization.yaml"))
    assert "mine.yaml" not in notes["resources"]
    assert "configmap-notes-notes-carol.yaml" in notes["resources"]
    index = yaml.safe_load(lab.git("show", "HEAD:flux/kustomization.yaml"))
    assert index["resources"] == ["notes.yaml", "platform.yaml", "traefik.yaml", "whoami.yaml"]


def test_hand_edits_to_its_own_files_are_refused_not_lost(lab: Lab) -> None:
    lab.apply()
    edited = lab.repo / DEPLOY
    edited.write_text(edited.read_text() + "# tuned by hand\n")
    _edit_whoami(lab, 2)
    commits = lab.commits()
    with pytest.raises(ProviderError, match="uncommitted changes to files Homestack writes"):
        lab.apply()
    assert lab.commits() == commits
    assert edited.read_text().endswith("# tuned by hand\n")


@pytest.mark.parametrize("move", [("switch", "-q", "-c", "feature"),
                                  ("switch", "-q", "--detach", "HEAD")],
                         ids=["feature-branch", "detached-head"])
def test_a_repository_off_the_configured_branch_is_refused(lab: Lab,
                                                          move: tuple[str, ...]) -> None:
    lab.apply()
    lab.git(*move)
    _edit_whoami(lab, 2)
    commits = lab.git("log", "--all", "--format=%H").split()
    with pytest.raises(ProviderError, match="not on the configured branch 'main'"):
        lab.apply()
    assert lab.git("log", "--all", "--format=%H").split() == commits
    assert not lab.git("status", "--porcelain")


def test_an_untracked_file_at_a_path_it_writes_is_not_overwritten(lab: Lab) -> None:
    lab.apply()
    path = lab.stack_file("notes")
    path.write_text(path.read_text().replace('("alice", "bob")', '("alice", "bob", "carol")'))
    mine = lab.repo / "stacks" / "notes" / "configmap-notes-notes-carol.yaml"
    mine.write_text("kind: ConfigMap # mine\n")
    result = lab.apply()
    [failed] = result.failed
    assert "Homestack did not write it" in failed.error
    assert mine.read_text() == "kind: ConfigMap # mine\n"


def test_an_uncommitted_hand_edit_is_drift_until_discarded(lab: Lab) -> None:
    lab.apply()
    edited = lab.repo / DEPLOY
    edited.write_text(edited.read_text().replace("replicas: 1", "replicas: 3"))

    def homestack(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "homestack", "-C", str(lab.root), *args],
                              capture_output=True, text=True, timeout=120,
                              env={**os.environ, "NO_COLOR": "1"})

    drifted = homestack("drift")
    assert drifted.returncode == 2, drifted.stdout + drifted.stderr
    assert "k8s:apps/v1:Deployment:whoami/whoami\tdrift: changed outside Homestack" \
        in drifted.stdout
    assert "-  replicas: 3" in drifted.stdout
    assert homestack("plan", "--detailed-exitcode").returncode == 2
    refused = homestack("apply", "--yes")
    assert refused.returncode == 1 and "uncommitted changes" in refused.stderr
    assert "replicas: 3" in edited.read_text()  # nothing lost
    lab.git("restore", "--", DEPLOY)
    assert homestack("drift").returncode == 0

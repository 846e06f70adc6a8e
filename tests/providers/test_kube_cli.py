"""The command line against the loopback API server: apply, drift, destroy, kill and resume."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.providers.conftest import KubeLab


def _homestack(lab: KubeLab, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KUBECONFIG": str(lab.kubeconfig), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "homestack", "-C", str(lab.root), *args],
                          capture_output=True, text=True, env=env, check=False, timeout=120)


def test_plan_detailed_exitcode_then_apply(kubelab: KubeLab) -> None:
    assert _homestack(kubelab, "plan", "--detailed-exitcode").returncode == 2
    applied = _homestack(kubelab, "apply", "--yes")
    assert applied.returncode == 0, applied.stderr
    assert _homestack(kubelab, "plan", "--detailed-exitcode").returncode == 0


def test_apply_without_yes_and_without_tty_refuses(kubelab: KubeLab) -> None:
    done = _homestack(kubelab, "apply")
    assert done.returncode == 1
    assert "without a TTY" in done.stderr
    assert kubelab.client.get("/api/v1/namespaces/apps").code == 404


def test_drift_names_the_other_manager(kubelab: KubeLab) -> None:
    assert _homestack(kubelab, "apply", "--yes").returncode == 0
    assert _homestack(kubelab, "drift").returncode == 0
    client = kubelab.client
    patched = client.request(
        "PATCH", "/apis/apps/v1/namespaces/apps/deployments/web?fieldManager=kubectl-edit",
        {"spec": {"replicas": 5}}, "application/merge-patch+json")
    assert patched.ok
    done = _homestack(kubelab, "drift", "--json")
    assert done.returncode == 2, done.stderr
    assert "kubectl-edit" in done.stdout
    assert ".spec.replicas" in done.stdout
    assert '"drift: ' in done.stdout
    [changed] = [c for s in json.loads(done.stdout)["stacks"] for c in s["changes"]
                 if c["action"] == "update"]
    assert changed["failure"] is None and "Apply failed" not in changed["note"]
    assert "+  replicas: 2" in changed["diff"] and "-  replicas: 5" in changed["diff"]


def test_drift_of_a_deleted_object(kubelab: KubeLab) -> None:
    assert _homestack(kubelab, "apply", "--yes").returncode == 0
    kubelab.client.delete("/api/v1/namespaces/apps/configmaps/tail")
    done = _homestack(kubelab, "drift", "tail", "--json")
    assert done.returncode == 2
    assert "deleted outside Homestack" in done.stdout


def test_destroy_removes_a_stack_and_keeps_data_without_the_flag(kubelab: KubeLab) -> None:
    assert _homestack(kubelab, "apply", "--yes").returncode == 0
    client = kubelab.client
    done = _homestack(kubelab, "destroy", "tail", "--yes")
    assert done.returncode == 0, done.stderr
    assert client.get("/api/v1/namespaces/apps/configmaps/tail").code == 404
    refused = _homestack(kubelab, "destroy", "data", "--yes")
    assert refused.returncode == 1
    assert "--allow-data-loss" in refused.stdout + refused.stderr
    assert client.get("/api/v1/namespaces/apps/persistentvolumeclaims/files").code == 200


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_killed_apply_is_finished_by_the_next(fake_kubelab: KubeLab, seed: int) -> None:
    kubelab = fake_kubelab  # the fake's latency makes the apply last long enough to kill
    kubelab.fake.set_latency(150)  # the apply takes seconds, so the kill lands mid-run
    env = {**os.environ, "KUBECONFIG": str(kubelab.kubeconfig)}
    child = subprocess.Popen(
        [sys.executable, "-m", "homestack", "-C", str(kubelab.root), "apply", "--yes",
         "--parallelism", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    time.sleep(random.Random(seed).uniform(0.8, 2.5))
    child.send_signal(signal.SIGKILL)
    assert child.wait() == -signal.SIGKILL, "the apply finished before it could be killed"
    kubelab.fake.set_latency(0)
    finished = _homestack(kubelab, "apply", "--yes")
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert _homestack(kubelab, "plan", "--detailed-exitcode").returncode == 0
    client = kubelab.client
    names = [o["metadata"]["name"] for o in
             client.get("/api/v1/namespaces/apps/configmaps").body["items"]]
    assert sorted(names) == ["shared", "tail"]
    deployments = client.get("/apis/apps/v1/namespaces/apps/deployments").body["items"]
    assert [d["metadata"]["name"] for d in deployments] == ["web"]

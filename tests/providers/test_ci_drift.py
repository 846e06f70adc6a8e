"""``homestack ci``: a scheduled drift run against the loopback API server writes metrics and
notifies a loopback webhook once per change of the drifted set."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from tests.providers.conftest import KubeLab


class Hook:
    """A loopback webhook that keeps every JSON body it receives (POST), and every metrics
    push a Pushgateway would receive (PUT /metrics/job/...)."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.pushed: list[tuple[str, str]] = []
        self.refuse = 0  # how many of the next notifications to answer 500
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length))
                if outer.refuse:
                    outer.refuse -= 1
                    self.send_response(500)
                else:
                    outer.received.append(body)
                    self.send_response(200)
                self.end_headers()

            def do_PUT(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                outer.pushed.append((self.path, self.rfile.read(length).decode()))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        port = self.server.server_address[1]
        self.url = f"json://127.0.0.1:{port}/hook"
        self.gateway = f"http://127.0.0.1:{port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def hook() -> Iterator[Hook]:
    made = Hook()
    yield made
    made.server.shutdown()
    made.server.server_close()


def _homestack(lab: KubeLab, *args: str, notify: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KUBECONFIG": str(lab.kubeconfig), "NO_COLOR": "1",
           "HOMESTACK_NOTIFY": notify}
    return subprocess.run([sys.executable, "-m", "homestack", "-C", str(lab.root), *args],
                          capture_output=True, text=True, env=env, check=False, timeout=120)


def test_ci_drift_measures_and_notifies_once_per_change(kubelab: KubeLab, hook: Hook,
                                                        tmp_path: Path) -> None:
    assert _homestack(kubelab, "apply", "--yes").returncode == 0
    patched = kubelab.client.request(
        "PATCH", "/apis/apps/v1/namespaces/apps/deployments/web?fieldManager=kubectl-scale",
        {"spec": {"replicas": 5}}, "application/merge-patch+json")
    assert patched.ok
    metrics = tmp_path / "metrics" / "homestack.prom"
    metrics.parent.mkdir()  # node_exporter's textfile folder
    args = ("ci", "drift", "--confirm-delay", "0.2", "--metrics-file", str(metrics),
            "--pushgateway", hook.gateway)
    first = _homestack(kubelab, *args, notify=hook.url)
    assert first.returncode == 2, first.stdout + first.stderr
    assert "DRIFT web k8s:apps/v1:Deployment:apps/web first seen" in first.stdout
    text = metrics.read_text()
    assert 'homestack_drifted_objects{stack="web"} 1.0' in text
    assert "homestack_last_successful_apply_timestamp_seconds" in text
    assert 'homestack_run_failures{command="drift"} 0.0' in text
    assert len(hook.received) == 1
    assert "apps/web" in hook.received[0]["message"]
    [(path, pushed)] = hook.pushed
    assert path == "/metrics/job/homestack"
    assert 'homestack_drifted_objects{stack="web"} 1.0' in pushed
    second = _homestack(kubelab, *args, notify=hook.url)
    assert second.returncode == 2
    assert len(hook.received) == 1, "the same drift was notified twice"


def test_a_refused_notification_fails_the_run_and_is_sent_again_next_time(
        kubelab: KubeLab, hook: Hook) -> None:
    assert _homestack(kubelab, "apply", "--yes").returncode == 0
    assert kubelab.client.request(
        "PATCH", "/apis/apps/v1/namespaces/apps/deployments/web?fieldManager=kubectl-scale",
        {"spec": {"replicas": 4}}, "application/merge-patch+json").ok
    hook.refuse = 1
    args = ("--json", "ci", "drift", "--confirm-delay", "0")
    first = _homestack(kubelab, *args, notify=hook.url)
    assert first.returncode == 1, first.stdout + first.stderr
    assert "the drift notification was not accepted" in first.stderr
    assert json.loads(first.stdout)["error"]["file"] == "--notify"
    assert hook.received == []
    second = _homestack(kubelab, *args, notify=hook.url)
    assert second.returncode == 2, second.stdout + second.stderr
    assert len(hook.received) == 1 and "apps/web" in hook.received[0]["message"]
    [drifted] = json.loads(second.stdout)["drifted"]
    assert drifted["address"] == "k8s:apps/v1:Deployment:apps/web"


def test_ci_drift_is_clean_after_a_clean_apply(kubelab: KubeLab, tmp_path: Path) -> None:
    assert _homestack(kubelab, "apply", "--yes").returncode == 0
    clean = _homestack(kubelab, "ci", "drift", "--confirm-delay", "0")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "total: 0 drifted objects" in clean.stdout


def _git(lab: KubeLab, *args: str) -> None:
    subprocess.run(["git", "-C", str(lab.root), "-c", "user.name=t", "-c", "user.email=t@t",
                    *args], check=True, capture_output=True)


def test_ci_plan_acts_on_the_stacks_changed_since_the_applied_commit(kubelab: KubeLab) -> None:
    _git(kubelab, "init", "-q")
    _git(kubelab, "add", "-A")
    _git(kubelab, "commit", "-qm", "lab")
    applied = _homestack(kubelab, "ci", "apply", "--replan")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert "Stacks all (no applied commit recorded)" in applied.stdout
    kubelab.edit("tail", '"after": "web"', '"after": "all"')
    _git(kubelab, "commit", "-qam", "tail changed")
    planned = _homestack(kubelab, "ci", "plan")
    assert planned.returncode == 2, planned.stdout + planned.stderr
    assert "Stacks changed since" in planned.stdout and ": tail" in planned.stdout
    assert "tail: planned (1 update)" in planned.stdout
    assert "web:" not in planned.stdout


def test_ci_apply_applies_the_reviewed_plan_and_nothing_else(kubelab: KubeLab,
                                                            tmp_path: Path) -> None:
    _git(kubelab, "init", "-q")
    _git(kubelab, "add", "-A")
    _git(kubelab, "commit", "-qm", "lab")
    assert _homestack(kubelab, "ci", "apply", "--replan").returncode == 0
    kubelab.edit("tail", '"after": "web"', '"after": "review"')
    _git(kubelab, "commit", "-qam", "tail changed")
    saved = tmp_path / "homestack-plan.json"
    planned = _homestack(kubelab, "ci", "plan", "--out", str(saved))
    assert planned.returncode == 2, planned.stdout + planned.stderr
    # A change after the review is refused: the reviewed plan is applied or nothing is.
    kubelab.edit("tail", '"after": "review"', '"after": "sneaked in"')
    refused = _homestack(kubelab, "ci", "apply", "--plan", str(saved))
    assert refused.returncode == 1 and "changed since the plan" in refused.stderr
    kubelab.edit("tail", '"after": "sneaked in"', '"after": "review"')
    applied = _homestack(kubelab, "ci", "apply", "--plan", str(saved))
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert "tail: applied (1 update)" in applied.stdout
    live = kubelab.client.get("/api/v1/namespaces/apps/configmaps/tail").body
    assert live["data"] == {"after": "review"}
    neither = _homestack(kubelab, "ci", "apply")
    assert neither.returncode == 3 and "--replan" in neither.stderr

"""The control plane of the tests: built at the release its go.mod names, reporting that
version, and a node agent that reports Pods as a kubelet would."""

from __future__ import annotations

import subprocess

from homestack_testing.controlplane import ControlPlane, ensure_built
from homestack_testing.controlplane.build import kubernetes_version, sources_digest
from homestack_testing.controlplane.kubelet import missing_references, pod_status


def test_the_binary_and_the_server_report_the_release_go_mod_names(
        control_plane: ControlPlane) -> None:
    release = kubernetes_version()
    assert release.startswith("v1.") and int(release.split(".")[1]) >= 35
    shown = subprocess.run([str(ensure_built(quiet=True)), "apiserver", "--version"],
                           capture_output=True, text=True, check=True).stdout
    assert shown.strip() == f"Kubernetes {release}"
    assert control_plane.version()["gitVersion"] == release
    assert len(sources_digest()) == 64


def _pod(**annotations: str) -> dict[str, object]:
    return {"metadata": {"annotations": annotations},
            "spec": {"containers": [{"name": "web", "image": "nginx:1.27",
                                     "envFrom": [{"secretRef": {"name": "creds"}},
                                                 {"configMapRef": {"name": "opt",
                                                                   "optional": True}}]}],
                     "volumes": [{"name": "c", "configMap": {"name": "settings"}}]}}


def test_a_kubelet_waits_for_required_references_only() -> None:
    missing = missing_references(_pod(), lambda kind, name: name == "settings")
    assert missing == ["Secret creds"]
    held = pod_status(_pod(), host_ip="10.0.0.1", pod_ip="10.244.0.2", missing=missing)
    assert held["phase"] == "Pending"
    assert held["containerStatuses"][0]["state"]["waiting"]["reason"] == \
        "CreateContainerConfigError"


def test_pod_status_follows_the_failure_switches() -> None:
    ready = pod_status(_pod(), host_ip="10.0.0.1", pod_ip="10.244.0.2", missing=[])
    assert ready["phase"] == "Running"
    assert {c["type"]: c["status"] for c in ready["conditions"]}["Ready"] == "True"
    unready = pod_status(_pod(**{"kubeapi.homestack.test/never-ready": "true"}),
                         host_ip="10.0.0.1", pod_ip="10.244.0.2", missing=[])
    assert {c["type"]: c["status"] for c in unready["conditions"]}["Ready"] == "False"
    job = _pod(**{"kubeapi.homestack.test/fail": "true"})
    job["spec"]["restartPolicy"] = "Never"  # type: ignore[index]
    failed = pod_status(job, host_ip="10.0.0.1", pod_ip="10.244.0.2", missing=[])
    assert failed["phase"] == "Failed"
    assert failed["containerStatuses"][0]["state"]["terminated"]["exitCode"] == 1

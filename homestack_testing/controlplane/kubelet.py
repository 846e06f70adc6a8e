"""What a kubelet would report for a Pod, computed from the Pod alone: the status the node
agent writes once the real scheduler has bound the Pod to one of its Nodes.

Containers never run; a Pod is Running and Ready at once unless its annotations ask for a
failure (the same switches as the loopback fake's):

* ``kubeapi.homestack.test/never-ready: "true"``: Running, containers not ready;
* ``kubeapi.homestack.test/fail: "true"``: a Pod that runs to completion (restartPolicy
  ``Never`` or ``OnFailure``) fails with exit code 1; another crash-loops.

As a kubelet does, a container whose ConfigMap or Secret (in ``env``, ``envFrom`` or a
volume, unless marked optional) is missing does not start (``CreateContainerConfigError``);
the agent looks again until it appears.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

NEVER_READY = "kubeapi.homestack.test/never-ready"
FAIL = "kubeapi.homestack.test/fail"


def now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _condition(kind: str, true: bool, reason: str = "") -> dict[str, Any]:
    condition: dict[str, Any] = {"type": kind, "status": "True" if true else "False",
                                 "lastProbeTime": None, "lastTransitionTime": now()}
    if reason:
        condition["reason"] = reason
    return condition


def missing_references(pod: dict[str, Any], exists: Callable[[str, str], bool]) -> list[str]:
    """The required ConfigMaps and Secrets of ``pod`` that ``exists(kind, name)`` denies."""
    wanted: set[tuple[str, str]] = set()
    spec = pod.get("spec") or {}
    for container in [*(spec.get("initContainers") or []), *(spec.get("containers") or [])]:
        for source in container.get("envFrom") or []:
            for key, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                ref = source.get(key)
                if ref and not ref.get("optional"):
                    wanted.add((kind, ref["name"]))
        for variable in container.get("env") or []:
            value_from = variable.get("valueFrom") or {}
            for key, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
                ref = value_from.get(key)
                if ref and not ref.get("optional"):
                    wanted.add((kind, ref["name"]))
    for volume in spec.get("volumes") or []:
        if (ref := volume.get("configMap")) and not ref.get("optional"):
            wanted.add(("ConfigMap", ref["name"]))
        if (ref := volume.get("secret")) and not ref.get("optional"):
            wanted.add(("Secret", ref["secretName"]))
    return sorted(f"{kind} {name}" for kind, name in wanted if not exists(kind, name))


def _terminated(name: str, code: int) -> dict[str, Any]:
    reason = "Completed" if code == 0 else "Error"
    return {"name": name, "ready": False, "restartCount": 0, "started": False,
            "state": {"terminated": {"exitCode": code, "reason": reason,
                                     "startedAt": now(), "finishedAt": now()}}}


def pod_status(pod: dict[str, Any], *, host_ip: str, pod_ip: str, missing: list[str]
               ) -> dict[str, Any]:
    """The status a kubelet would report now."""
    meta, spec = pod.get("metadata") or {}, pod.get("spec") or {}
    annotations = meta.get("annotations") or {}
    names = [c["name"] for c in spec.get("containers") or []]
    runs_to_completion = spec.get("restartPolicy", "Always") != "Always"
    fail = annotations.get(FAIL) == "true"
    status: dict[str, Any] = {"hostIP": host_ip, "hostIPs": [{"ip": host_ip}],
                              "podIP": pod_ip, "podIPs": [{"ip": pod_ip}],
                              "startTime": now()}
    init = [_terminated(c["name"], 0) for c in spec.get("initContainers") or []]
    if init:
        status["initContainerStatuses"] = init
    if missing:
        reason = "CreateContainerConfigError"
        message = "couldn't find " + ", ".join(missing)
        status["phase"] = "Pending"
        status["containerStatuses"] = [
            {"name": n, "ready": False, "restartCount": 0, "started": False,
             "state": {"waiting": {"reason": reason, "message": message}}} for n in names]
        ready = False
    elif runs_to_completion:
        status["phase"] = "Failed" if fail else "Succeeded"
        status["containerStatuses"] = [_terminated(n, 1 if fail else 0) for n in names]
        ready = False
    else:
        ready = not fail and annotations.get(NEVER_READY) != "true"
        status["phase"] = "Running"
        state: dict[str, Any] = ({"waiting": {"reason": "CrashLoopBackOff"}} if fail
                                 else {"running": {"startedAt": now()}})
        status["containerStatuses"] = [
            {"name": n, "ready": ready, "restartCount": 1 if fail else 0, "started": not fail,
             "state": state} for n in names]
    for entry in status["containerStatuses"]:
        image = next(c["image"] for c in spec["containers"] if c["name"] == entry["name"])
        entry.update(image=image, imageID="", containerID="")
    status["conditions"] = [
        _condition("PodReadyToStartContainers", True),
        _condition("Initialized", True),
        _condition("Ready", ready, "" if ready else "ContainersNotReady"),
        _condition("ContainersReady", ready, "" if ready else "ContainersNotReady"),
        _condition("PodScheduled", True),
    ]
    return status


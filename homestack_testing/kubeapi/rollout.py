"""Workload status as the controllers report it, stage by stage.

A change of a workload passes through real intermediate states before it is done:

* ``OBSERVED``: the controller has seen the new generation (``observedGeneration``
  first) and started: a Deployment surges one pod of the new ReplicaSet while the old
  pods still count (``replicas`` = old ready + 1, ``updatedReplicas`` 1), a StatefulSet
  reports a new ``updateRevision`` while ``currentRevision`` is the old one, a
  DaemonSet has ``updatedNumberScheduled`` 0, a Job is active;
* ``DONE``: everything updated and ready (a Job Complete);
* ``STUCK``: a Deployment past its progress deadline (``Progressing=False``,
  ``ProgressDeadlineExceeded``), a Job that failed (``Failed``, ``BackoffLimitExceeded``);
* ``UNREADY``: observed, but its pods never become ready.

Zero counts are omitted, as the real status structs do.
"""

from __future__ import annotations

import hashlib
import json
from enum import Enum
from typing import Any

Obj = dict[str, Any]
Status = dict[str, Any]


class Stage(Enum):
    OBSERVED = "observed"
    DONE = "done"
    STUCK = "stuck"
    UNREADY = "unready"


def _cond(kind: str, ok: bool, reason: str, message: str, now: str) -> dict[str, Any]:
    return {"type": kind, "status": "True" if ok else "False", "reason": reason,
            "message": message, "lastUpdateTime": now, "lastTransitionTime": now}


def _nonzero(status: Status) -> Status:
    return {k: v for k, v in status.items() if v not in (0, None)}


def template_hash(obj: Obj) -> str:
    """A stable name suffix for the pod template (pod-template-hash, revision names)."""
    template = (obj.get("spec") or {}).get("template")
    digest = hashlib.sha256(json.dumps(template, sort_keys=True).encode()).hexdigest()
    return "".join(c for c in digest if c not in "aeiou")[:10]


def _want(obj: Obj) -> int:
    value = (obj.get("spec") or {}).get("replicas", 1)
    return value if isinstance(value, int) and not isinstance(value, bool) else 1


def deployment_status(obj: Obj, old: Status, stage: Stage, now: str) -> Status:
    want, gen = _want(obj), obj["metadata"].get("generation", 1)
    rs = f'ReplicaSet "{obj["metadata"]["name"]}-{template_hash(obj)}"'
    if stage is Stage.DONE:
        return _nonzero({
            "observedGeneration": gen, "replicas": want, "updatedReplicas": want,
            "readyReplicas": want, "availableReplicas": want,
            "conditions": [
                _cond("Available", True, "MinimumReplicasAvailable",
                      "Deployment has minimum availability.", now),
                _cond("Progressing", True, "NewReplicaSetAvailable",
                      f"{rs} has successfully progressed.", now)]})
    old_ready = int(old.get("readyReplicas") or 0) if stage is not Stage.UNREADY else 0
    updated = min(1, want) if old_ready else want
    replicas = old_ready + updated
    available = int(old.get("availableReplicas") or 0) if old_ready else 0
    progressing = (_cond("Progressing", False, "ProgressDeadlineExceeded",
                         f"{rs} has timed out progressing.", now) if stage is Stage.STUCK
                   else _cond("Progressing", True, "ReplicaSetUpdated",
                              f"{rs} is progressing.", now))
    ok = available >= want and want > 0
    return _nonzero({
        "observedGeneration": gen, "replicas": replicas, "updatedReplicas": updated,
        "readyReplicas": old_ready, "availableReplicas": available,
        "unavailableReplicas": max(replicas - available, 0),
        "conditions": [
            _cond("Available", ok, "MinimumReplicasAvailable" if ok
                  else "MinimumReplicasUnavailable",
                  "Deployment has minimum availability." if ok
                  else "Deployment does not have minimum availability.", now),
            progressing]})


def statefulset_status(obj: Obj, old: Status, stage: Stage, now: str) -> Status:
    want, gen = _want(obj), obj["metadata"].get("generation", 1)
    update_rev = f"{obj['metadata']['name']}-{template_hash(obj)}"
    if stage is Stage.DONE:
        return _nonzero({
            "observedGeneration": gen, "replicas": want, "readyReplicas": want,
            "currentReplicas": want, "updatedReplicas": want, "availableReplicas": want,
            "currentRevision": update_rev, "updateRevision": update_rev, "collisionCount": 0})
    current_rev = old.get("currentRevision") or update_rev
    old_ready = int(old.get("readyReplicas") or 0) if stage is not Stage.UNREADY else 0
    rolling = current_rev != update_rev
    # The controller replaces pods from the highest ordinal down: none updated yet.
    return _nonzero({
        "observedGeneration": gen, "replicas": want, "readyReplicas": old_ready,
        "availableReplicas": old_ready, "currentReplicas": want if not rolling else old_ready,
        "updatedReplicas": 0 if rolling else want, "currentRevision": current_rev,
        "updateRevision": update_rev, "collisionCount": 0})


def daemonset_status(obj: Obj, old: Status, stage: Stage, now: str) -> Status:
    gen = obj["metadata"].get("generation", 1)
    base = {"observedGeneration": gen, "currentNumberScheduled": 1,
            "desiredNumberScheduled": 1, "numberMisscheduled": 0}
    if stage is Stage.DONE:
        return {**base, "numberReady": 1, "numberAvailable": 1, "updatedNumberScheduled": 1}
    ready = int(old.get("numberReady") or 0) if stage is not Stage.UNREADY else 0
    out = {**base, "numberReady": ready, "updatedNumberScheduled": 0 if ready else 1}
    if ready:
        out["numberAvailable"] = ready
    else:
        out["numberUnavailable"] = 1
    return out


def job_status(obj: Obj, old: Status, stage: Stage, now: str) -> Status:
    spec = obj.get("spec") or {}
    start = old.get("startTime") or obj["metadata"].get("creationTimestamp", now)
    if stage in (Stage.OBSERVED, Stage.UNREADY):
        return {"active": 1, "startTime": start, "ready": 0, "terminating": 0,
                "uncountedTerminatedPods": {}}
    if stage is Stage.STUCK:
        limit = spec.get("backoffLimit", 6)
        message = "Job has reached the specified backoff limit"
        return {
            "startTime": start, "failed": limit + 1, "ready": 0, "terminating": 0,
            "uncountedTerminatedPods": {},
            "conditions": [
                {"type": "FailureTarget", "status": "True", "reason": "BackoffLimitExceeded",
                 "message": message, "lastProbeTime": now, "lastTransitionTime": now},
                {"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded",
                 "message": message, "lastProbeTime": now, "lastTransitionTime": now}]}
    completions = spec.get("completions", 1)
    return {
        "startTime": start, "completionTime": now, "succeeded": completions, "ready": 0,
        "terminating": 0, "uncountedTerminatedPods": {},
        "conditions": [
            {"type": "SuccessCriteriaMet", "status": "True", "reason": "CompletionsReached",
             "message": "Reached expected number of succeeded pods",
             "lastProbeTime": now, "lastTransitionTime": now},
            {"type": "Complete", "status": "True", "reason": "CompletionsReached",
             "message": "Reached expected number of succeeded pods",
             "lastProbeTime": now, "lastTransitionTime": now}]}

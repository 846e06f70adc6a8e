"""The mutating admission plugins of kube-apiserver that consult other objects, run on
create after the defaults and after field ownership was computed (what they set is
owned by nobody, as in the real chain), before validation:

* ``DefaultStorageClass``: a claim that names no class gets the default class (the one
  annotated ``storageclass.kubernetes.io/is-default-class: "true"``);
* ``Priority``: a pod gets ``spec.priority`` and ``spec.preemptionPolicy`` from its
  PriorityClass (or the global default, else 0); a class that does not exist is 403;
* ``ServiceAccount``: a pod runs as ``default`` unless it names an account, which must
  exist (403), and unless automounting is off every container mounts the account's
  token as the projected volume ``kube-api-access-xxxxx``;
* ``ResourceQuota``, for the ``pods`` count only: a pod beyond a quota's ``hard.pods`` (the
  namespace's pods not yet Succeeded or Failed) is 403 ``exceeded quota``.

Other quota resources, LimitRange, Pod Security and webhooks are not simulated.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from . import binding
from .errors import forbidden
from .kinds import ResourceKind
from .quantity import canonical_value
from .store import Obj, Store

Plugin = Callable[[ResourceKind, Obj], None]
TOKEN_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"
TOKEN_VOLUME = "kube-api-access-"
TOKEN_EXPIRATION = 3607  # WarnOnlyBoundTokenExpirationSeconds
NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789"  # utilrand's alphabet
# The classes kube-apiserver creates at start (scheduling's bootstrap), name -> value.
SYSTEM_PRIORITY_CLASSES = {
    "system-node-critical": (2000001000, "Used for system critical pods that must not be "
                                         "moved from their current node."),
    "system-cluster-critical": (2000000000, "Used for system critical pods that must run in "
                                            "the cluster, but can be moved to another node "
                                            "if necessary."),
}


def _is(rk: ResourceKind, kind: str) -> bool:
    return not rk.group and rk.kind == kind


def default_storage_class(store: Store) -> Plugin:
    def admit(rk: ResourceKind, obj: Obj) -> None:
        spec = obj.get("spec")
        if not _is(rk, "PersistentVolumeClaim") or not isinstance(spec, dict) \
                or spec.get("storageClassName") is not None:
            return
        klass = binding.default_class(store)
        if klass is not None:
            spec["storageClassName"] = klass["metadata"]["name"]
    return admit


def _priority_classes(store: Store) -> list[Obj]:
    rk = store.registry.get("scheduling.k8s.io", "v1", "priorityclasses")
    return store.items(rk) if rk is not None else []


def priority(store: Store) -> Plugin:
    def admit(rk: ResourceKind, pod: Obj) -> None:
        spec = pod.get("spec")
        if not _is(rk, "Pod") or not isinstance(spec, dict):
            return
        name = pod["metadata"].get("name", "")
        wanted = spec.get("priorityClassName")
        policy: Any = "PreemptLowerPriority"
        value = 0
        if wanted:
            found = next((pc for pc in _priority_classes(store)
                          if pc["metadata"]["name"] == wanted), None)
            if found is None:
                raise forbidden("pods", "", name, f"no PriorityClass with name {wanted} was found")
            value, policy = int(found.get("value") or 0), found.get("preemptionPolicy")
        else:
            defaults = [pc for pc in _priority_classes(store) if pc.get("globalDefault")]
            if defaults:
                chosen = min(defaults, key=lambda pc: int(pc.get("value") or 0))
                spec["priorityClassName"] = chosen["metadata"]["name"]
                value, policy = int(chosen.get("value") or 0), chosen.get("preemptionPolicy")
        if spec.get("priority") is not None and spec["priority"] != value:
            raise forbidden("pods", "", name, f"the integer value of priority "
                            f"({spec['priority']}) must not be provided in pod spec; priority "
                            f"admission controller computed {value} from the given "
                            "PriorityClass name")
        spec["priority"] = value
        if policy:
            spec["preemptionPolicy"] = policy
    return admit


def _token_volume(name: str) -> Obj:
    return {"name": name, "projected": {"defaultMode": 420, "sources": [
        {"serviceAccountToken": {"expirationSeconds": TOKEN_EXPIRATION, "path": "token"}},
        {"configMap": {"name": "kube-root-ca.crt",
                       "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
        {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {
            "apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}}]}}


def _mount_token(spec: Obj) -> None:
    volumes = [v for v in spec.get("volumes") or [] if isinstance(v, dict)]
    existing = next((v["name"] for v in volumes
                     if str(v.get("name", "")).startswith(TOKEN_VOLUME)), None)
    name = existing or TOKEN_VOLUME + "".join(random.choices(NAME_CHARS, k=5))
    needed = False
    for key in ("initContainers", "containers"):
        for container in spec.get(key) or []:
            mounts = container.setdefault("volumeMounts", [])
            if not any(m.get("mountPath") == TOKEN_PATH for m in mounts):
                mounts.append({"name": name, "readOnly": True, "mountPath": TOKEN_PATH})
                needed = True
    if needed and existing is None:
        spec["volumes"] = [*(spec.get("volumes") or []), _token_volume(name)]


def service_account(store: Store) -> Plugin:
    def admit(rk: ResourceKind, pod: Obj) -> None:
        spec = pod.get("spec")
        if not _is(rk, "Pod") or not isinstance(spec, dict):
            return
        meta = pod["metadata"]
        ns, account = meta.get("namespace", ""), spec.get("serviceAccountName") or "default"
        spec["serviceAccountName"] = spec["serviceAccount"] = account
        sa_kind = store.registry.get("", "v1", "serviceaccounts")
        found = store.peek(sa_kind, ns, account) if sa_kind is not None else None
        if found is None:
            raise forbidden("pods", "", meta.get("name", ""),
                            f"error looking up service account {ns}/{account}: "
                            f'serviceaccount "{account}" not found')
        automount = spec.get("automountServiceAccountToken")
        if automount is None:
            automount = found.get("automountServiceAccountToken")
        if automount is not False:
            _mount_token(spec)
        if not spec.get("imagePullSecrets") and found.get("imagePullSecrets"):
            spec["imagePullSecrets"] = [{"name": s.get("name", "")}
                                        for s in found["imagePullSecrets"]]
    return admit


def _in(namespace: str, items: list[Obj]) -> list[Obj]:
    return [i for i in items if (i.get("metadata") or {}).get("namespace") == namespace]


def pod_quota(store: Store) -> Plugin:
    def admit(rk: ResourceKind, pod: Obj) -> None:
        quota_kind = store.registry.get("", "v1", "resourcequotas")
        if not _is(rk, "Pod") or quota_kind is None:
            return
        meta = pod["metadata"]
        namespace = meta.get("namespace", "")
        running = [p for p in _in(namespace, store.items(rk))
                   if (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")]
        for quota in _in(namespace, store.items(quota_kind)):
            hard = ((quota.get("spec") or {}).get("hard") or {}).get("pods")
            if hard is not None and len(running) + 1 > canonical_value(hard):
                raise forbidden("pods", "", meta.get("name", ""),
                                f"exceeded quota: {quota['metadata']['name']}, requested: "
                                f"pods=1, used: pods={len(running)}, limited: pods={hard}")
    return admit


def install(store: Store) -> None:
    """Register the plugins with the store, in the real chain's order (quota, a validating
    plugin, last)."""
    store.mutating_admission += [service_account(store), priority(store),
                                 default_storage_class(store), pod_quota(store)]

"""The resource kinds the server serves: the built-in table (data) and the registry
that custom resources join when their CRD is established."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .schema import TypeNode, builtin_root, crd_root

# (group, version, kind, plural, namespaced, short names, has /status)
BUILTIN_KINDS: list[tuple[str, str, str, str, bool, tuple[str, ...], bool]] = [
    ("", "v1", "Namespace", "namespaces", False, ("ns",), True),
    ("", "v1", "ConfigMap", "configmaps", True, ("cm",), False),
    ("", "v1", "Secret", "secrets", True, (), False),
    ("", "v1", "Service", "services", True, ("svc",), True),
    ("", "v1", "ServiceAccount", "serviceaccounts", True, ("sa",), False),
    ("", "v1", "PersistentVolume", "persistentvolumes", False, ("pv",), True),
    ("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", True, ("pvc",), True),
    ("", "v1", "Pod", "pods", True, ("po",), True),
    ("", "v1", "LimitRange", "limitranges", True, ("limits",), False),
    ("", "v1", "ResourceQuota", "resourcequotas", True, ("quota",), True),
    ("", "v1", "Endpoints", "endpoints", True, ("ep",), False),
    ("", "v1", "Event", "events", True, ("ev",), False),
    ("", "v1", "Node", "nodes", False, ("no",), True),
    ("apps", "v1", "Deployment", "deployments", True, ("deploy",), True),
    ("apps", "v1", "StatefulSet", "statefulsets", True, ("sts",), True),
    ("apps", "v1", "DaemonSet", "daemonsets", True, ("ds",), True),
    ("apps", "v1", "ReplicaSet", "replicasets", True, ("rs",), True),
    ("batch", "v1", "Job", "jobs", True, (), True),
    ("batch", "v1", "CronJob", "cronjobs", True, ("cj",), True),
    ("networking.k8s.io", "v1", "Ingress", "ingresses", True, ("ing",), True),
    ("networking.k8s.io", "v1", "IngressClass", "ingressclasses", False, (), False),
    ("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", True, ("netpol",), False),
    ("rbac.authorization.k8s.io", "v1", "Role", "roles", True, (), False),
    ("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", True, (), False),
    ("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", False, (), False),
    ("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", False,
     (), False),
    ("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", True, ("pdb",), True),
    ("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", False, ("pc",), False),
    ("storage.k8s.io", "v1", "StorageClass", "storageclasses", False, ("sc",), False),
    ("storage.k8s.io", "v1", "CSIDriver", "csidrivers", False, (), False),
    ("node.k8s.io", "v1", "RuntimeClass", "runtimeclasses", False, (), False),
    ("apiregistration.k8s.io", "v1", "APIService", "apiservices", False, (), True),
    ("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration",
     "validatingwebhookconfigurations", False, (), False),
    ("admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration",
     "mutatingwebhookconfigurations", False, (), False),
    ("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", True,
     ("hpa",), True),
    ("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions",
     False, ("crd", "crds"), True),
    ("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", True, (), False),
    ("coordination.k8s.io", "v1", "Lease", "leases", True, (), False),
]

# Kinds whose registry strategy allows create on update (AllowCreateOnUpdate): a PUT to a
# missing object creates it. Every other kind answers such a PUT 404 NotFound.
CREATE_ON_UPDATE = {("", "Service"), ("", "Endpoints"), ("", "Event"), ("", "LimitRange"),
                    ("coordination.k8s.io", "Lease"), ("node.k8s.io", "RuntimeClass"),
                    ("rbac.authorization.k8s.io", "Role"),
                    ("rbac.authorization.k8s.io", "RoleBinding"),
                    ("rbac.authorization.k8s.io", "ClusterRole"),
                    ("rbac.authorization.k8s.io", "ClusterRoleBinding")}

# Kinds served with an autoscaling/v1 ``/scale`` subresource (see scale.py).
SCALABLE = {("apps", "Deployment"), ("apps", "StatefulSet"), ("apps", "ReplicaSet")}

# Kinds `kubectl get all` lists.
ALL_CATEGORY = {"Pod", "Service", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
                "Job", "CronJob"}


@dataclass
class ResourceKind:
    group: str
    version: str
    kind: str
    plural: str
    namespaced: bool
    short_names: tuple[str, ...] = ()
    has_status: bool = False
    crd_schema: dict[str, Any] | None = None
    is_custom: bool = False
    categories: tuple[str, ...] = ()
    _root: TypeNode | None = field(default=None, repr=False)

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def is_namespace(self) -> bool:
        return not self.group and self.kind == "Namespace"

    @property
    def create_on_update(self) -> bool:
        return not self.is_custom and (self.group, self.kind) in CREATE_ON_UPDATE

    @property
    def has_scale(self) -> bool:
        return not self.is_custom and (self.group, self.kind) in SCALABLE

    @property
    def root(self) -> TypeNode:
        if self._root is None:
            if self.is_custom:
                self._root = crd_root(self.crd_schema)
            else:
                self._root = builtin_root(self.group, self.version, self.kind)
        return self._root

    def discovery(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.plural,
            "singularName": self.kind.lower(),
            "namespaced": self.namespaced,
            "kind": self.kind,
            "verbs": ["create", "delete", "deletecollection", "get", "list", "patch",
                      "update"],
        }
        if self.short_names:
            out["shortNames"] = list(self.short_names)
        if self.categories:
            out["categories"] = list(self.categories)
        return out


class Registry:
    """Kinds by (group, version, plural) and by (group, version, kind)."""

    def __init__(self) -> None:
        self._by_plural: dict[tuple[str, str, str], ResourceKind] = {}
        for group, version, kind, plural, namespaced, short, status in BUILTIN_KINDS:
            cats = ("all",) if kind in ALL_CATEGORY else ()
            self.add(ResourceKind(group, version, kind, plural, namespaced, short, status,
                                  categories=cats))

    def add(self, rk: ResourceKind) -> None:
        self._by_plural[(rk.group, rk.version, rk.plural)] = rk

    def drop(self, group: str, plural: str) -> None:
        for key in [k for k in self._by_plural if k[0] == group and k[2] == plural]:
            del self._by_plural[key]

    def get(self, group: str, version: str, plural: str) -> ResourceKind | None:
        return self._by_plural.get((group, version, plural))

    def by_kind(self, api_version: str, kind: str) -> ResourceKind | None:
        group, _, version = api_version.rpartition("/")
        for rk in self._by_plural.values():
            if rk.group == group and rk.version == version and rk.kind == kind:
                return rk
        return None

    def all(self) -> list[ResourceKind]:
        return list(self._by_plural.values())

    def groups(self) -> dict[str, list[str]]:
        """Group name -> served versions (preferred first)."""
        out: dict[str, list[str]] = {}
        for rk in self._by_plural.values():
            versions = out.setdefault(rk.group, [])
            if rk.version not in versions:
                versions.append(rk.version)
        return out

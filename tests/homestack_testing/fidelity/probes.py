"""Probes of the differential fidelity suite: requests sent alike to the real kube-apiserver
and to the loopback fake, whose answers are compared (status code, ``reason``, the fields a
422 names, and the body fields a probe lists).

A probe is a list of steps in a namespace of its own (``NS`` in paths and bodies); every step
before the last sets things up, the last is the one compared. ``user="nobody"`` sends a step
as a user no RBAC binding names (the fake has no authorization: it cannot tell). A step with
``until`` is repeated (boundedly) until that dotted field is present, as a client waiting for
a controller would.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

JSON = "application/json"
MERGE = "application/merge-patch+json"
STRATEGIC = "application/strategic-merge-patch+json"
JSONPATCH = "application/json-patch+json"
APPLY = "application/apply-patch+yaml"


@dataclass(frozen=True)
class Step:
    method: str
    path: str
    body: Any = None
    content_type: str = JSON
    user: str = ""
    until: str = ""
    # Seconds to wait after the answer: the real server's admission reads the quota from an
    # informer cache, which may lag the status a GET already shows.
    settle: float = 0.0


@dataclass(frozen=True)
class Probe:
    name: str
    steps: tuple[Step, ...]
    fields: tuple[str, ...] = ()  # dotted paths compared in the last answer's body
    area: str = "crud"
    cluster: tuple[str, ...] = field(default=())  # cluster-scoped names it creates


def _meta(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, **extra}


def cm(name: str = "cfg", data: dict[str, str] | None = None, **meta: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": _meta(name, **meta),
            "data": {"a": "1"} if data is None else data}


def container(**extra: Any) -> dict[str, Any]:
    return {"name": "main", "image": "nginx:1.27",
            "resources": {"requests": {"cpu": "10m", "memory": "32Mi"},
                          "limits": {"memory": "32Mi"}}, **extra}


def pod_spec(**extra: Any) -> dict[str, Any]:
    return {"containers": [container()], **extra}


def pod(name: str = "p", spec: dict[str, Any] | None = None, **meta: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": _meta(name, **meta),
            "spec": spec or pod_spec()}


def deploy(name: str = "web", replicas: int = 1, spec: dict[str, Any] | None = None
           ) -> dict[str, Any]:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": spec or pod_spec()}}}


def svc(name: str = "web", ports: list[dict[str, Any]] | None = None, **spec: Any
        ) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
            "spec": {"selector": {"app": name},
                     "ports": ports or [{"name": "http", "port": 80}], **spec}}


def job(name: str = "once", image: str = "busybox:1.36") -> dict[str, Any]:
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name},
            "spec": {"template": {"spec": {"restartPolicy": "Never",
                                           "containers": [container(image=image)]}}}}


def cronjob(schedule: str, **spec: Any) -> dict[str, Any]:
    return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "tick"},
            "spec": {"schedule": schedule, "jobTemplate": {"spec": {"template": {"spec": {
                "restartPolicy": "Never", "containers": [container()]}}}}, **spec}}


def pvc(name: str = "data", klass: str = "fid-sc", size: str = "1Gi") -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": name},
            "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": klass,
                     "resources": {"requests": {"storage": size}}}}


def storage_class(name: str, expand: bool | None = None, **extra: Any) -> dict[str, Any]:
    body = {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {
        "name": name}, "provisioner": "example.org/fid", "parameters": {"tier": "fast"},
        "reclaimPolicy": "Delete", "volumeBindingMode": "Immediate", **extra}
    if expand is not None:
        body["allowVolumeExpansion"] = expand
    return body


NS = "/api/v1/namespaces/NS"
CMS = f"{NS}/configmaps"
PODS = f"{NS}/pods"
DEPLOYS = "/apis/apps/v1/namespaces/NS/deployments"
SVCS = f"{NS}/services"
SECRETS = f"{NS}/secrets"
JOBS = "/apis/batch/v1/namespaces/NS/jobs"
CRONJOBS = "/apis/batch/v1/namespaces/NS/cronjobs"
PVCS = f"{NS}/persistentvolumeclaims"
SCS = "/apis/storage.k8s.io/v1/storageclasses"
CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
RBAC = "/apis/rbac.authorization.k8s.io/v1"
DEFAULT_SA = Step("GET", f"{NS}/serviceaccounts/default", until="metadata.uid")


def post(path: str, body: Any, **kw: Any) -> Step:
    return Step("POST", path, body, **kw)


def with_(body: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of ``body`` with the dotted ``path`` set to ``value``."""
    out = copy.deepcopy(body)
    node = out
    keys = path.split(".")
    for key in keys[:-1]:
        node = node[int(key)] if isinstance(node, list) else node.setdefault(key, {})
    if isinstance(node, list):
        node[int(keys[-1])] = value
    else:
        node[keys[-1]] = value
    return out


def _p(name: str, *steps: Step, fields: tuple[str, ...] = (), area: str = "crud",
       cluster: tuple[str, ...] = ()) -> Probe:
    return Probe(name, steps, fields, area, cluster)


def _crd(name: str = "widgets", rules: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": {"spec": {
        "type": "object", "properties": {"size": {"type": "integer", "maximum": 10},
                                         "min": {"type": "integer"},
                                         "max": {"type": "integer"}}}}}
    if rules:
        schema["properties"]["spec"]["x-kubernetes-validations"] = rules
    return {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": f"{name}.fid.example.org"},
            "spec": {"group": "fid.example.org", "scope": "Namespaced",
                     "names": {"kind": name.capitalize()[:-1], "plural": name,
                               "singular": name[:-1], "listKind": name.capitalize()[:-1] +
                               "List"},
                     "versions": [{"name": "v1", "served": True, "storage": True,
                                   "schema": {"openAPIV3Schema": schema},
                                   "subresources": {"status": {}}}]}}


def _crd_ready(plural: str) -> Step:
    """Until the custom resource is served (its list answers)."""
    return Step("GET", f"/apis/fid.example.org/v1/namespaces/NS/{plural}", until="items")


def _widget(spec: dict[str, Any], plural: str = "widgets") -> Step:
    kind = plural.capitalize()[:-1]
    return post(f"/apis/fid.example.org/v1/namespaces/NS/{plural}",
                {"apiVersion": "fid.example.org/v1", "kind": kind,
                 "metadata": {"name": "w"}, "spec": spec})


def _crud() -> list[Probe]:
    return [
        _p("create a ConfigMap", post(CMS, cm()), fields=("data.a", "metadata.name")),
        _p("get a missing ConfigMap", Step("GET", f"{CMS}/none")),
        _p("create a duplicate", post(CMS, cm()), post(CMS, cm())),
        _p("create in a missing namespace",
           post("/api/v1/namespaces/fid-missing-ns/configmaps", cm())),
        _p("PUT to a missing ConfigMap", Step("PUT", f"{CMS}/cfg", cm())),
        _p("PUT whose name differs from the URL", post(CMS, cm()),
           Step("PUT", f"{CMS}/cfg", cm("other"))),
        _p("PUT with a stale resourceVersion", post(CMS, cm()),
           Step("PUT", f"{CMS}/cfg", cm(resourceVersion="1"))),
        _p("DELETE with a stale precondition", post(CMS, cm()),
           Step("DELETE", f"{CMS}/cfg", {"kind": "DeleteOptions", "apiVersion": "v1",
                                         "preconditions": {"resourceVersion": "1"}})),
        _p("DELETE with a wrong uid precondition", post(CMS, cm()),
           Step("DELETE", f"{CMS}/cfg", {"kind": "DeleteOptions", "apiVersion": "v1",
                                         "preconditions": {"uid": "not-the-uid"}})),
        _p("DELETE a missing object", Step("DELETE", f"{CMS}/none")),
        _p("an invalid object name", post(CMS, cm("Bad_Name"))),
        _p("a body whose namespace differs from the URL", post(CMS, cm(namespace="other"))),
        _p("a label value too long", post(CMS, cm(labels={"a": "x" * 64}))),
        _p("an invalid label key", post(CMS, cm(labels={"-bad": "x"}))),
        _p("annotations over 256 KiB", post(CMS, cm(annotations={"a": "x" * 262_200}))),
        _p("a ConfigMap over 1 MiB", post(CMS, cm(data={"big": "x" * 1_200_000}))),
        _p("an invalid ConfigMap key", post(CMS, cm(data={"bad key": "x"}))),
        _p("a Secret with invalid base64",
           post(SECRETS, {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
                          "data": {"k": "not base64!"}})),
        _p("a Secret's stringData lands in data",
           post(SECRETS, {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
                          "stringData": {"k": "v"}}), fields=("data.k", "type")),
        _p("a wrong JSON type", post(DEPLOYS, with_(deploy(), "spec.replicas", "three"))),
        _p("an unknown field under Strict validation",
           post(DEPLOYS + "?fieldValidation=Strict", with_(deploy(), "spec.replica", 1))),
        _p("an unknown field under Warn is dropped",
           post(DEPLOYS, with_(deploy(), "spec.replica", 1)), fields=("spec.replicas",)),
        _p("an unknown fieldValidation", post(CMS + "?fieldValidation=Loud", cm())),
        _p("generation starts at 1", post(DEPLOYS, deploy()), fields=("metadata.generation",)),
        _p("generation moves with the spec", post(DEPLOYS, deploy()),
           Step("PATCH", f"{DEPLOYS}/web", {"spec": {"replicas": 2}}, MERGE),
           fields=("metadata.generation", "spec.replicas")),
        _p("metadata changes keep the generation", post(DEPLOYS, deploy()),
           Step("PATCH", f"{DEPLOYS}/web", {"metadata": {"labels": {"x": "y"}}}, MERGE),
           fields=("metadata.generation",)),
        _p("generateName", post(CMS, {"apiVersion": "v1", "kind": "ConfigMap",
                                      "metadata": {"generateName": "gen-"}}),
           fields=("metadata.generateName",)),
        _p("dryRun=All persists nothing", post(CMS + "?dryRun=All", cm()),
           Step("GET", f"{CMS}/cfg")),
        _p("an unknown dryRun value", post(CMS + "?dryRun=Server", cm())),
        _p("list with a label selector", post(CMS, cm("a", labels={"k": "v"})),
           post(CMS, cm("b")), Step("GET", CMS + "?labelSelector=k%3Dv"),
           fields=("items.0.metadata.name", "items.1")),
        _p("an invalid label selector", Step("GET", CMS + "?labelSelector=a%20%3D%3D%3D%20b")),
        _p("a field selector on metadata.name", post(CMS, cm("a")), post(CMS, cm("b")),
           Step("GET", CMS + "?fieldSelector=metadata.name%3Db"),
           fields=("items.0.metadata.name", "items.1")),
        _p("an unsupported field selector", Step("GET", CMS + "?fieldSelector=data.a%3D1")),
        _p("list pages", post(CMS, cm("a")), post(CMS, cm("b")),
           Step("GET", CMS + "?limit=1"), fields=("items.1",)),
        _p("an invalid continue token", Step("GET", CMS + "?limit=1&continue=garbage")),
        _p("a status write does not change the spec", post(DEPLOYS, deploy()),
           Step("PATCH", f"{DEPLOYS}/web/status", {"spec": {"replicas": 5}}, MERGE),
           fields=("spec.replicas",)),
        _p("a finalizer holds a deleted object",
           post(CMS, cm(finalizers=["example.org/hold"])), Step("DELETE", f"{CMS}/cfg"),
           fields=("metadata.finalizers",)),
        _p("creates in a terminating namespace",
           post(CMS, cm(finalizers=["example.org/hold"])), Step("DELETE", NS),
           post(CMS, cm("late"))),
    ]


def _patches() -> list[Probe]:
    return [
        _p("merge patch", post(CMS, cm()),
           Step("PATCH", f"{CMS}/cfg", {"data": {"b": "2"}}, MERGE), fields=("data.b", "data.a"),
           area="patch"),
        _p("strategic merge keyed by container name", post(DEPLOYS, deploy()),
           Step("PATCH", f"{DEPLOYS}/web", {"spec": {"template": {"spec": {"containers": [
               {"name": "main", "image": "nginx:1.28"}]}}}}, STRATEGIC),
           fields=("spec.template.spec.containers.0.image",
                   "spec.template.spec.containers.0.resources.limits.memory"), area="patch"),
        _p("json patch", post(CMS, cm()),
           Step("PATCH", f"{CMS}/cfg", [{"op": "add", "path": "/data/c", "value": "3"}],
                JSONPATCH), fields=("data.c",), area="patch"),
        _p("a failing json patch test", post(CMS, cm()),
           Step("PATCH", f"{CMS}/cfg", [{"op": "test", "path": "/data/a", "value": "9"}],
                JSONPATCH), area="patch"),
        _p("an unsupported patch type", post(CMS, cm()),
           Step("PATCH", f"{CMS}/cfg", {"data": {}}, "text/plain"), area="patch"),
        _p("server-side apply creates", Step("PATCH", f"{CMS}/cfg?fieldManager=a", cm(),
                                             APPLY), fields=("data.a",), area="ssa"),
        _p("apply without a field manager", Step("PATCH", f"{CMS}/cfg", cm(), APPLY),
           area="ssa"),
        _p("an apply conflict", Step("PATCH", f"{CMS}/cfg?fieldManager=a", cm(), APPLY),
           Step("PATCH", f"{CMS}/cfg?fieldManager=b", cm(data={"a": "2"}), APPLY),
           area="ssa"),
        _p("an apply conflict forced",
           Step("PATCH", f"{CMS}/cfg?fieldManager=a", cm(), APPLY),
           Step("PATCH", f"{CMS}/cfg?fieldManager=b&force=true", cm(data={"a": "2"}), APPLY),
           fields=("data.a",), area="ssa"),
        _p("same value, two appliers", Step("PATCH", f"{CMS}/cfg?fieldManager=a", cm(), APPLY),
           Step("PATCH", f"{CMS}/cfg?fieldManager=b", cm(), APPLY), fields=("data.a",),
           area="ssa"),
        _p("an applier stops declaring a field",
           Step("PATCH", f"{CMS}/cfg?fieldManager=a", cm(data={"a": "1", "b": "2"}), APPLY),
           Step("PATCH", f"{CMS}/cfg?fieldManager=a", cm(), APPLY), fields=("data.b",),
           area="ssa"),
        _p("an apply with an undeclared field",
           Step("PATCH", f"{DEPLOYS}/web?fieldManager=a", with_(deploy(), "spec.replica", 1),
                APPLY), area="ssa"),
        _p("an apply with a wrong type",
           Step("PATCH", f"{DEPLOYS}/web?fieldManager=a",
                with_(deploy(), "spec.replicas", "x"), APPLY), area="ssa"),
        _p("an apply with duplicate container names",
           Step("PATCH", f"{DEPLOYS}/web?fieldManager=a", with_(deploy(), "spec.template.spec",
                pod_spec(containers=[container(), container()])), APPLY), area="ssa"),
        _p("an apply dry-run", Step("PATCH", f"{CMS}/cfg?fieldManager=a&dryRun=All", cm(),
                                    APPLY), Step("GET", f"{CMS}/cfg"), area="ssa"),
    ]


def _validation() -> list[Probe]:
    def bad_deploy(path: str, value: Any) -> Step:
        return post(DEPLOYS, with_(deploy(), path, value))
    return [
        _p("replicas of -1", bad_deploy("spec.replicas", -1), area="validation"),
        _p("a selector that misses the template",
           bad_deploy("spec.selector", {"matchLabels": {"app": "other"}}), area="validation"),
        _p("Recreate with rollingUpdate", bad_deploy(
            "spec.strategy", {"type": "Recreate", "rollingUpdate": {"maxSurge": 1}}),
           area="validation"),
        _p("requests above limits", bad_deploy("spec.template.spec.containers.0.resources", {
            "requests": {"memory": "64Mi"}, "limits": {"memory": "32Mi"}}), area="validation"),
        _p("a malformed quantity", bad_deploy(
            "spec.template.spec.containers.0.resources.requests.cpu", "lots"),
           area="validation"),
        _p("a container without an image", bad_deploy(
            "spec.template.spec.containers.0.image", ""), area="validation"),
        _p("an unknown imagePullPolicy", bad_deploy(
            "spec.template.spec.containers.0.imagePullPolicy", "Sometimes"),
           area="validation"),
        _p("a container port out of range", bad_deploy(
            "spec.template.spec.containers.0.ports", [{"containerPort": 70000}]),
           area="validation"),
        _p("a probe with two handlers", bad_deploy(
            "spec.template.spec.containers.0.readinessProbe",
            {"httpGet": {"port": 80, "path": "/"}, "tcpSocket": {"port": 80}}),
           area="validation"),
        _p("a pod without containers", post(PODS, pod(spec={"containers": []})),
           area="validation"),
        _p("a Service nodePort of 80", post(SVCS, svc(type="NodePort", ports=[
            {"name": "http", "port": 80, "nodePort": 80}])), area="validation"),
        _p("Service ports duplicated", post(SVCS, svc(ports=[
            {"name": "a", "port": 80}, {"name": "b", "port": 80}])), area="validation"),
        _p("a Service port name too long", post(SVCS, svc(ports=[
            {"name": "x" * 16, "port": 80}])), area="validation"),
        _p("a Service gets a cluster IP and defaults", post(SVCS, svc()),
           fields=("spec.type", "spec.sessionAffinity", "spec.ports.0.protocol",
                   "spec.ports.0.targetPort", "spec.ipFamilyPolicy"), area="validation"),
        _p("an invalid cron schedule", post(CRONJOBS, cronjob("every minute")),
           area="validation"),
        _p("an unknown time zone", post(CRONJOBS, cronjob("* * * * *", timeZone="Mars/Base")),
           area="validation"),
        _p("an Ingress with an unknown pathType", post(
            "/apis/networking.k8s.io/v1/namespaces/NS/ingresses",
            {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "i"},
             "spec": {"rules": [{"host": "a.example.org", "http": {"paths": [
                 {"path": "/", "pathType": "Sometimes", "backend": {"service": {
                     "name": "web", "port": {"number": 80}}}}]}}]}}), area="validation"),
        _p("a PDB with minAvailable and maxUnavailable", post(
            "/apis/policy/v1/namespaces/NS/poddisruptionbudgets",
            {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "b"},
             "spec": {"minAvailable": 1, "maxUnavailable": 1,
                      "selector": {"matchLabels": {"app": "web"}}}}), area="validation"),
        _p("a Namespace name with capitals", post("/api/v1/namespaces", {
            "apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "Fid-Upper"}}),
           area="validation"),
        _p("a Job defaults its spec", post(JOBS, job()), fields=(
            "spec.backoffLimit", "spec.completions", "spec.parallelism",
            "spec.completionMode"), area="validation"),
        _p("a Deployment defaults its strategy", post(DEPLOYS, deploy()), fields=(
            "spec.strategy.type", "spec.strategy.rollingUpdate.maxSurge",
            "spec.revisionHistoryLimit", "spec.progressDeadlineSeconds",
            "spec.template.spec.dnsPolicy", "spec.template.spec.schedulerName",
            "spec.template.spec.containers.0.imagePullPolicy",
            "spec.template.spec.containers.0.terminationMessagePolicy"), area="validation"),
    ]


def _immutable() -> list[Probe]:
    return [
        _p("a Job's template", post(JOBS, job()),
           Step("PATCH", f"{JOBS}/once", {"spec": {"template": {"spec": {"containers": [
               {"name": "main", "image": "busybox:1.37"}]}}}}, STRATEGIC), area="immutable"),
        _p("a Deployment's selector", post(DEPLOYS, deploy()),
           Step("PATCH", f"{DEPLOYS}/web", {"spec": {"selector": {"matchLabels": {
               "app": "web", "x": "y"}}, "template": {"metadata": {"labels": {
                   "app": "web", "x": "y"}}}}}, MERGE), area="immutable"),
        _p("a Service's cluster IP", post(SVCS, svc()),
           Step("PATCH", f"{SVCS}/web", {"spec": {"clusterIP": "10.96.77.77",
                                                  "clusterIPs": ["10.96.77.77"]}}, MERGE),
           area="immutable"),
        _p("an immutable ConfigMap's data", post(CMS, {**cm(), "immutable": True}),
           Step("PATCH", f"{CMS}/cfg", {"data": {"a": "2"}}, MERGE), area="immutable"),
        _p("a Secret's type", post(SECRETS, {"apiVersion": "v1", "kind": "Secret",
                                             "metadata": {"name": "s"}, "type": "Opaque"}),
           Step("PATCH", f"{SECRETS}/s", {"type": "example.org/other"}, MERGE),
           area="immutable"),
        _p("a StorageClass's parameters", post(SCS, storage_class("fid-sc-params")),
           Step("PATCH", f"{SCS}/fid-sc-params", {"parameters": {"tier": "slow"}}, MERGE),
           area="immutable", cluster=("fid-sc-params",)),
        _p("a StorageClass's provisioner", post(SCS, storage_class("fid-sc-prov")),
           Step("PATCH", f"{SCS}/fid-sc-prov", {"provisioner": "example.org/other"}, MERGE),
           area="immutable", cluster=("fid-sc-prov",)),
        _p("a RoleBinding's roleRef", post(f"{RBAC}/namespaces/NS/rolebindings", {
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
            "metadata": {"name": "rb"}, "roleRef": {"apiGroup": "rbac.authorization.k8s.io",
                                                    "kind": "ClusterRole", "name": "view"},
            "subjects": [{"kind": "User", "name": "x", "apiGroup": "rbac.authorization.k8s.io"}]
        }), Step("PATCH", f"{RBAC}/namespaces/NS/rolebindings/rb", {
            "roleRef": {"name": "edit"}}, MERGE), area="immutable"),
        _p("a PriorityClass's value", post("/apis/scheduling.k8s.io/v1/priorityclasses", {
            "apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
            "metadata": {"name": "fid-pc"}, "value": 1000}),
           Step("PATCH", "/apis/scheduling.k8s.io/v1/priorityclasses/fid-pc", {"value": 2000},
                MERGE), area="immutable", cluster=("fid-pc",)),
        _p("a pending claim's size", post(SCS, storage_class("fid-sc-grow", expand=True)),
           post(PVCS, pvc(klass="fid-sc-grow")),
           Step("PATCH", f"{PVCS}/data", {"spec": {"resources": {"requests": {
               "storage": "2Gi"}}}}, MERGE), area="immutable", cluster=("fid-sc-grow",)),
        _p("a claim's storage class", post(PVCS, pvc(klass="fid-none")),
           Step("PATCH", f"{PVCS}/data", {"spec": {"storageClassName": "other"}}, MERGE),
           area="immutable"),
        _p("a Pod's container name", post(PODS, pod()), Step("PATCH", f"{PODS}/p", {
            "spec": {"containers": [{"name": "main", "image": "nginx:1.28"}]}}, STRATEGIC),
           fields=("spec.containers.0.image",), area="immutable"),
    ]


def _admission() -> list[Probe]:
    quota = {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "q"},
             "spec": {"hard": {"pods": "1"}}}
    limits = {"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "l"},
              "spec": {"limits": [{"type": "Container", "max": {"memory": "64Mi"},
                                   "default": {"memory": "32Mi"},
                                   "defaultRequest": {"memory": "16Mi"}}]}}
    restricted = {"metadata": {"labels": {"pod-security.kubernetes.io/enforce": "restricted"}}}
    webhook = {
        "apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "ValidatingWebhookConfiguration", "metadata": {"name": "fid-dead-webhook"},
        "webhooks": [{"name": "dead.fid.example.org", "failurePolicy": "Fail",
                      "sideEffects": "None", "admissionReviewVersions": ["v1"],
                      "timeoutSeconds": 2,
                      "clientConfig": {"url": "https://127.0.0.1:9/validate"},
                      "namespaceSelector": {"matchLabels": {"fid-webhook": "on"}},
                      "rules": [{"apiGroups": [""], "apiVersions": ["v1"],
                                 "operations": ["CREATE"], "resources": ["configmaps"]}]}]}
    policy = {
        "apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicy",
        "metadata": {"name": "fid-no-big"},
        "spec": {"failurePolicy": "Fail", "matchConstraints": {"resourceRules": [{
            "apiGroups": [""], "apiVersions": ["v1"], "operations": ["CREATE"],
            "resources": ["configmaps"]}]},
            "validations": [{"expression": "!has(object.data) || !('big' in object.data)",
                             "message": "no big keys"}]}}
    binding = {
        "apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "ValidatingAdmissionPolicyBinding", "metadata": {"name": "fid-no-big"},
        "spec": {"policyName": "fid-no-big", "validationActions": ["Deny"],
                 "matchResources": {"namespaceSelector": {"matchLabels": {"fid-vap": "on"}}}}}
    return [
        _p("a pod over the pods quota", post(f"{NS}/resourcequotas", quota),
           Step("GET", f"{NS}/resourcequotas/q", until="status.hard", settle=1.0), DEFAULT_SA,
           post(PODS, pod("p1")), post(PODS, pod("p2")), area="admission"),
        _p("the quota controller counts a quota", post(f"{NS}/resourcequotas", quota),
           Step("GET", f"{NS}/resourcequotas/q", until="status.hard"),
           fields=("status.hard", "status.used"), area="admission"),
        _p("a pod over the LimitRange maximum", post(f"{NS}/limitranges", limits), DEFAULT_SA,
           post(PODS, pod(spec=pod_spec(containers=[container(resources={
               "requests": {"memory": "128Mi"}, "limits": {"memory": "128Mi"}})]))),
           area="admission"),
        _p("the LimitRange fills in defaults", post(f"{NS}/limitranges", limits), DEFAULT_SA,
           post(PODS, pod(spec={"containers": [{"name": "main", "image": "nginx:1.27"}]})),
           fields=("spec.containers.0.resources.limits.memory",
                   "spec.containers.0.resources.requests.memory"), area="admission"),
        _p("a pod whose service account is missing", DEFAULT_SA,
           post(PODS, pod(spec=pod_spec(serviceAccountName="ghost"))), area="admission"),
        _p("a pod gets its service account token volume", DEFAULT_SA, post(PODS, pod()),
           fields=("spec.serviceAccountName", "spec.volumes.0.projected.sources.0"
                   ".serviceAccountToken.path"), area="admission"),
        _p("a privileged pod under restricted Pod Security",
           Step("PATCH", NS, restricted, MERGE), DEFAULT_SA,
           post(PODS, pod(spec=pod_spec(containers=[container(
               securityContext={"privileged": True})]))), area="admission"),
        _p("a Deployment under restricted Pod Security is admitted with a warning",
           Step("PATCH", NS, restricted, MERGE), post(DEPLOYS, deploy()),
           fields=("metadata.name",), area="admission"),
        _p("a pod naming a missing PriorityClass", DEFAULT_SA,
           post(PODS, pod(spec=pod_spec(priorityClassName="fid-no-such-class"))),
           area="admission"),
        _p("a claim gets the default StorageClass", post(PVCS, {
            "apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "d"},
            "spec": {"accessModes": ["ReadWriteOnce"],
                     "resources": {"requests": {"storage": "1Gi"}}}}),
           fields=("spec.storageClassName",), area="admission"),
        _p("a webhook that cannot be reached fails closed",
           post("/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations",
                webhook),
           Step("PATCH", NS, {"metadata": {"labels": {"fid-webhook": "on"}}}, MERGE),
           post(CMS, cm()), area="admission", cluster=("fid-dead-webhook",)),
        _p("a ValidatingAdmissionPolicy denies",
           post("/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies", policy),
           post("/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings",
                binding),
           Step("PATCH", NS, {"metadata": {"labels": {"fid-vap": "on"}}}, MERGE),
           Step("GET", "/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies/"
                       "fid-no-big", until="status.typeChecking"),
           post(CMS, cm(data={"big": "1"})), area="admission",
           cluster=("fid-no-big",)),
        _p("a CRD's CEL rule", post(CRDS, _crd("gauges", [
            {"rule": "self.min <= self.max", "message": "min above max"}])), _crd_ready("gauges"),
           _widget({"min": 5, "max": 1}, "gauges"), area="admission",
           cluster=("gauges.fid.example.org",)),
        _p("a CRD's schema maximum", post(CRDS, _crd()), _crd_ready("widgets"),
           _widget({"size": 99}),
           area="admission", cluster=("widgets.fid.example.org",)),
        _p("an unprivileged user creates a ClusterRoleBinding",
           post(f"{RBAC}/clusterrolebindings", {
               "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
               "metadata": {"name": "fid-escalate"},
               "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                           "name": "cluster-admin"},
               "subjects": [{"kind": "User", "name": "nobody",
                             "apiGroup": "rbac.authorization.k8s.io"}]}, user="nobody"),
           area="rbac", cluster=("fid-escalate",)),
        _p("an unprivileged user reads a Secret", Step("GET", f"{SECRETS}/any", user="nobody"),
           area="rbac"),
        _p("an unprivileged user lists namespaces",
           Step("GET", "/api/v1/namespaces", user="nobody"), area="rbac"),
        _p("deleting the default namespace", Step("DELETE", "/api/v1/namespaces/default"),
           area="lifecycle"),
        _p("deleting kube-system", Step("DELETE", "/api/v1/namespaces/kube-system"),
           area="lifecycle"),
        _p("deleting kube-public", Step("DELETE", "/api/v1/namespaces/kube-public"),
           area="lifecycle"),
    ]


def _subresources() -> list[Probe]:
    return [
        _p("GET /scale", post(DEPLOYS, deploy(replicas=2)), Step("GET", f"{DEPLOYS}/web/scale"),
           fields=("spec.replicas", "kind"), area="subresource"),
        _p("PUT /scale", post(DEPLOYS, deploy(replicas=2)),
           Step("PATCH", f"{DEPLOYS}/web/scale", {"spec": {"replicas": 3}}, MERGE),
           Step("GET", f"{DEPLOYS}/web"), fields=("spec.replicas",), area="subresource"),
        _p("a watch", post(CMS, cm()), Step("GET", CMS + "?watch=1&timeoutSeconds=1"),
           area="subresource"),
        _p("finalize a namespace", Step("PUT", f"{NS}/finalize", {
            "apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "NS"},
            "spec": {"finalizers": []}}), fields=("spec.finalizers",), area="subresource"),
        _p("deletecollection", post(CMS, cm("a")), post(CMS, cm("b")),
           Step("DELETE", CMS + "?labelSelector=none%3Dnone"), area="subresource"),
        _p("a TokenRequest for a missing account",
           post(f"{NS}/serviceaccounts/ghost/token", {
               "apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
               "spec": {"audiences": ["x"]}}), area="subresource"),
        _p("a TokenRequest that is too short", DEFAULT_SA,
           post(f"{NS}/serviceaccounts/default/token", {
               "apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
               "spec": {"expirationSeconds": 60}}), area="subresource"),
        _p("an unserved group", Step("GET", "/apis/fid.example.org/v9/things"),
           area="discovery"),
        _p("discovery of apps/v1", Step("GET", "/apis/apps/v1"),
           fields=("groupVersion", "kind"), area="discovery"),
        _p("the version", Step("GET", "/version"), fields=("major",), area="discovery"),
        _p("the OpenAPI v3 index", Step("GET", "/openapi/v3"), area="discovery"),
    ]


PROBES: list[Probe] = [*_crud(), *_patches(), *_validation(), *_immutable(), *_admission(),
                       *_subresources()]

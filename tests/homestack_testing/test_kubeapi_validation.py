"""The loopback server refuses what kube-apiserver refuses, with its codes and messages:
decoding errors (400), typed-patch errors of server-side apply (500), unknown fields per
fieldValidation, and 422 Invalid with details.causes for required fields, enumerations,
duplicate keys, names, labels and annotations."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from homestack_testing.kubeapi import KubeApiServer
from homestack_testing.kubeapi.client import Client
from homestack_testing.kubeapi.kinds import BUILTIN_KINDS
from homestack_testing.kubeapi.samples import CM_URL, DEPLOY_URL, configmap, deployment
from homestack_testing.kubectl import Kubectl, needs_kubectl

SVC_URL = "/api/v1/namespaces/default/services"


def _container(d: dict[str, Any]) -> dict[str, Any]:
    return d["spec"]["template"]["spec"]["containers"][0]  # type: ignore[no-any-return]


def test_wrong_type_is_a_decoding_400(api: Client) -> None:
    bad = deployment()
    bad["spec"]["replicas"] = "three"
    r = api.post(DEPLOY_URL, bad)
    assert r.code == 400 and r.body["reason"] == "BadRequest"
    assert r.body["message"] == (
        'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal '
        "string into Go struct field DeploymentSpec.spec.replicas of type int32")
    assert api.get(f"{DEPLOY_URL}/web").code == 404


def test_wrong_type_under_apply_is_the_typed_patch_500(api: Client) -> None:
    bad = deployment()
    bad["spec"]["replicas"] = "three"
    r = api.apply(f"{DEPLOY_URL}/web", bad)
    assert r.code == 500 and "reason" not in r.body
    assert r.body["message"] == (
        "failed to create typed patch object (apps/v1, Kind=Deployment): .spec.replicas: "
        "expected numeric (int or float), got string")


def test_unknown_field_under_apply_is_not_declared_in_schema(api: Client) -> None:
    bad = deployment()
    bad["spec"]["replica"] = 3
    bad["bogus"] = 1
    r = api.apply(f"{DEPLOY_URL}/web", bad)
    assert r.code == 500
    assert r.body["message"] == (
        "failed to create typed patch object (apps/v1, Kind=Deployment): errors:\n"
        "  .bogus: field not declared in schema\n"
        "  .spec.replica: field not declared in schema")


def test_unknown_field_strict_is_400(api: Client) -> None:
    bad = configmap(a="1")
    bad["bogus"] = 1
    r = api.post(f"{CM_URL}?fieldValidation=Strict", bad)
    assert r.code == 400
    assert r.body["message"] == ('ConfigMap in version "v1" cannot be handled as a ConfigMap: '
                                 'strict decoding error: unknown field "bogus"')


def test_unknown_field_warn_drops_it_with_a_warning(api: Client) -> None:
    bad = deployment()
    bad["spec"]["replica"] = 3
    r = api.post(DEPLOY_URL, bad)
    assert r.code == 201
    assert r.headers["Warning"] == '299 - "unknown field \\"spec.replica\\""'
    assert "replica" not in api.get(f"{DEPLOY_URL}/web").body["spec"]


def test_unknown_field_ignore_drops_it_silently(api: Client) -> None:
    bad = configmap(a="1")
    bad["bogus"] = 1
    r = api.post(f"{CM_URL}?fieldValidation=Ignore", bad)
    assert r.code == 201 and "Warning" not in r.headers and "bogus" not in r.body
    r = api.post(f"{CM_URL}?fieldValidation=Loose", configmap("b"))
    assert r.code == 422 and r.body["details"]["causes"][0]["field"] == "fieldValidation"


def test_unsupported_enum_value_is_422_with_causes(api: Client) -> None:
    bad = deployment()
    _container(bad)["imagePullPolicy"] = "Sometimes"
    r = api.apply(f"{DEPLOY_URL}/web", bad)
    assert r.code == 422 and r.body["reason"] == "Invalid"
    assert r.body["message"] == (
        'Deployment.apps "web" is invalid: spec.template.spec.containers[0].imagePullPolicy: '
        'Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"')
    assert r.body["details"] == {
        "name": "web", "group": "apps", "kind": "Deployment",
        "causes": [{"reason": "FieldValueNotSupported",
                    "message": 'Unsupported value: "Sometimes": supported values: "Always", '
                               '"IfNotPresent", "Never"',
                    "field": "spec.template.spec.containers[0].imagePullPolicy"}]}


def test_missing_required_fields_are_listed(api: Client) -> None:
    bad = deployment()
    del bad["spec"]["selector"]
    del _container(bad)["image"]
    r = api.post(DEPLOY_URL, bad)
    assert r.code == 422
    fields = {(c["field"], c["reason"]) for c in r.body["details"]["causes"]}
    assert fields == {("spec.selector", "FieldValueRequired"),
                      ("spec.template.spec.containers[0].image", "FieldValueRequired")}
    assert r.body["message"].startswith('Deployment.apps "web" is invalid: [')


def test_duplicate_container_names_are_422(api: Client) -> None:
    bad = deployment()
    containers = bad["spec"]["template"]["spec"]["containers"]
    containers.append(copy.deepcopy(containers[0]) | {"ports": []})
    r = api.post(DEPLOY_URL, bad)
    assert r.code == 422
    assert r.body["details"]["causes"] == [{
        "reason": "FieldValueDuplicate", "message": 'Duplicate value: "main"',
        "field": "spec.template.spec.containers[1].name"}]


def test_duplicate_env_names_warn_on_update_and_fail_under_apply(api: Client) -> None:
    dup = deployment()
    _container(dup)["env"] = [{"name": "A", "value": "1"}, {"name": "A", "value": "2"}]
    r = api.apply(f"{DEPLOY_URL}/web", dup)
    assert r.code == 500
    assert r.body["message"].endswith(
        '.spec.template.spec.containers[name="main"].env: duplicate entries for key '
        '[name="A"]')
    r = api.post(DEPLOY_URL, dup)
    assert r.code == 201
    assert "hides previous definition of \\\"A\\\"" in r.headers["Warning"]


def test_service_ports_need_distinct_names(api: Client) -> None:
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
           "spec": {"ports": [{"name": "http", "port": 80}, {"name": "http", "port": 81}]}}
    r = api.post(SVC_URL, svc)
    assert r.code == 422
    assert r.body["details"]["causes"][0]["field"] == "spec.ports[1].name"


CRONJOB_URL = "/apis/batch/v1/namespaces/default/cronjobs"
PDB_URL = "/apis/policy/v1/namespaces/default/poddisruptionbudgets"


def _with_container(**extra: Any) -> dict[str, Any]:
    d = deployment()
    _container(d).update(extra)
    return d


def _cronjob(schedule: str, **spec: Any) -> dict[str, Any]:
    return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "tick"},
            "spec": {"schedule": schedule, **spec, "jobTemplate": {"spec": {"template": {
                "spec": {"restartPolicy": "Never",
                         "containers": [{"name": "c", "image": "busybox:1"}]}}}}}}


def _service(*ports: dict[str, Any], kind: str = "ClusterIP") -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
            "spec": {"type": kind, "ports": list(ports)}}


@pytest.mark.parametrize(("url", "body", "cause"), [
    (DEPLOY_URL, {**deployment(), "spec": {**deployment()["spec"], "replicas": -1}},
     ("spec.replicas", "Invalid value: -1: must be greater than or equal to 0")),
    (DEPLOY_URL, _with_container(resources={"requests": {"memory": "64Mi"},
                                            "limits": {"memory": "32Mi"}}),
     ("spec.template.spec.containers[0].resources.requests",
      'Invalid value: "64Mi": must be less than or equal to memory limit of 32Mi')),
    (DEPLOY_URL, _with_container(resources={"requests": {"example.com/gpu": "1"}}),
     ("spec.template.spec.containers[0].resources.limits",
      "Required value: Limit must be set for non overcommitable resources")),
    (DEPLOY_URL, _with_container(readinessProbe={"httpGet": {"port": 80, "path": "/"},
                                                 "tcpSocket": {"port": 80}}),
     ("spec.template.spec.containers[0].readinessProbe.tcpSocket",
      "Forbidden: may not specify more than 1 handler type")),
    (DEPLOY_URL, _with_container(livenessProbe={"periodSeconds": 5}),
     ("spec.template.spec.containers[0].livenessProbe",
      "Required value: must specify a handler type")),
    (SVC_URL, _service({"name": "a", "port": 80, "nodePort": 80}, kind="NodePort"),
     ("spec.ports[0].nodePort", "Invalid value: 80: provided port is not in the valid range. "
                                "The range of valid ports is 30000-32767")),
    (SVC_URL, _service({"name": "a", "port": 80, "nodePort": 30080}),
     ("spec.ports[0].nodePort", "Forbidden: may not be used when `type` is 'ClusterIP'")),
    (SVC_URL, _service({"name": "a", "port": 80}, {"name": "b", "port": 80}),
     ("spec.ports[1]", 'Duplicate value: {"Name":"","Protocol":"TCP","AppProtocol":null,'
                       '"Port":80,"TargetPort":0,"NodePort":0}')),
    (CRONJOB_URL, _cronjob("TZ=UTC 0 * * * *"),
     ("spec.schedule", 'Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in '
                       "schedule, use timeZone field instead")),
    (CRONJOB_URL, _cronjob("* * * * *", timeZone="Mars/Base"),
     ("spec.timeZone", 'Invalid value: "Mars/Base": unknown time zone Mars/Base')),
    (PDB_URL, {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
               "metadata": {"name": "b"}, "spec": {"minAvailable": 1, "maxUnavailable": 1}},
     ("spec", 'Invalid value: {"MinAvailable":1,"Selector":null,"MaxUnavailable":1,'
              '"UnhealthyPodEvictionPolicy":null}: minAvailable and maxUnavailable cannot be '
              "both set")),
    (CM_URL, configmap(big="x" * 1_048_577),
     ("[]", "Too long: may not be more than 1048576 bytes")),
])
def test_go_validation_rules(api: Client, url: str, body: dict[str, Any],
                             cause: tuple[str, str]) -> None:
    r = api.post(url, body)
    assert r.code == 422 and r.body["reason"] == "Invalid", r.body
    assert cause in [(c["field"], c["message"]) for c in r.body["details"]["causes"]]


@pytest.mark.parametrize("schedule", ["every minute", "61 * * * *", "@every 1d"])
def test_invalid_cron_schedules_are_refused_naming_the_field(api: Client, schedule: str
                                                             ) -> None:
    r = api.post(CRONJOB_URL, _cronjob(schedule))
    assert r.code == 422 and r.body["reason"] == "Invalid", r.body
    assert [c["field"] for c in r.body["details"]["causes"]] == ["spec.schedule"]


@pytest.mark.parametrize("schedule", ["*/5 * * * *", "0 9-17 * jan-jun mon-fri", "@hourly",
                                      "@every 1h30m", "15 3 1,15 */2 ?"])
def test_valid_cron_schedules_pass(api: Client, schedule: str) -> None:
    assert api.post(CRONJOB_URL, _cronjob(schedule, timeZone="Europe/Berlin")).code == 201


def test_a_secret_whose_data_is_not_base64_is_a_decoding_400(api: Client) -> None:
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
              "data": {"k": "not base64!"}}
    r = api.post("/api/v1/namespaces/default/secrets", secret)
    assert r.code == 400 and r.body["message"] == (
        'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input '
        "byte 3")
    secret["data"] = {"k": "aGVsbG8="}
    assert api.post("/api/v1/namespaces/default/secrets", secret).code == 201


@pytest.mark.parametrize(("url", "name", "message"), [
    (CM_URL, "My_Config",
     "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
     "or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
     "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*"
     "[a-z0-9])?)*')"),
    (SVC_URL, "s" * 70, "must be no more than 63 characters"),
    (SVC_URL, "1web",
     "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with "
     "an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
     "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"),
    ("/api/v1/namespaces", "team.a",
     "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
     "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', "
     "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"),
    ("/apis/batch/v1/namespaces/default/cronjobs", "c" * 53,
     "must be no more than 52 characters"),
])
def test_names_follow_the_kind_rule(api: Client, url: str, name: str, message: str) -> None:
    kind = {"configmaps": "ConfigMap", "services": "Service", "namespaces": "Namespace",
            "cronjobs": "CronJob"}[url.rsplit("/", 1)[-1]]
    body: dict[str, Any] = {"metadata": {"name": name}}
    if kind == "Service":
        body["spec"] = {"ports": [{"port": 80}]}
    if kind == "CronJob":
        body["spec"] = {"schedule": "@daily", "jobTemplate": {"spec": {"template": {"spec": {
            "restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox:1"}]}}}}}
    r = api.post(url, body)
    assert r.code == 422, r.body
    assert {"reason": "FieldValueInvalid", "message": f'Invalid value: "{name}": {message}',
            "field": "metadata.name"} in r.body["details"]["causes"]


def test_label_and_annotation_syntax(api: Client) -> None:
    cm = configmap()
    cm["metadata"]["labels"] = {"app": "bad value", "ok/x": "y" * 64}
    cm["metadata"]["annotations"] = {"a/b/c": "x"}
    r = api.post(CM_URL, cm)
    assert r.code == 422
    causes = r.body["details"]["causes"]
    assert {(c["field"], c["message"].split(":")[1].strip()) for c in causes} == {
        ("metadata.labels", '"bad value"'), ("metadata.labels", '"' + "y" * 64 + '"'),
        ("metadata.annotations", '"a/b/c"')}
    assert any("must be no more than 63 characters" in c["message"] for c in causes)
    assert any(c["message"].startswith('Invalid value: "a/b/c": a qualified name must')
               for c in causes)


GARBAGE: list[Any] = [
    {"spec": "three"}, {"spec": {"replicas": "three", "template": "x", "ports": 5}},
    {"metadata": {"name": 5}}, {"metadata": {"name": "x", "labels": ["a"]}},
    {"metadata": {"name": "x", "annotations": {"a": 1}}, "data": [1, 2]},
    {"metadata": {"name": "x"}, "spec": {"containers": {"a": 1}, "selector": [None]}},
    {"metadata": {"name": "x"}, "spec": {"template": {"spec": {"containers": [7]}}}},
    {"metadata": {"name": "x"}, "spec": {"resources": {"requests": {"storage": "lots"}}}},
    [1, 2], "text", None,
]


def test_garbage_to_every_kind_is_answered_and_never_breaks_the_server(
        kubeapi: KubeApiServer, api: Client) -> None:
    for group, version, _kind, plural, namespaced, _short, _status in BUILTIN_KINDS:
        base = f"/api/{version}" if not group else f"/apis/{group}/{version}"
        url = f"{base}/namespaces/default/{plural}" if namespaced else f"{base}/{plural}"
        for body in GARBAGE:
            for r in (api.post(url, body), api.apply(f"{url}/x", body)
                      if isinstance(body, dict) else api.post(url, body)):
                assert r.code in (201, 400, 409, 422, 500), (url, body, r.code, r.body)
                assert r.body["kind"] in ("Status", _kind), (url, body, r.body)
    # The server still answers, and its readiness simulator survived every object.
    assert api.post(DEPLOY_URL, deployment("after")).code == 201
    api.get(f"{DEPLOY_URL}/after")
    assert api.get(f"{DEPLOY_URL}/after").body["status"]["readyReplicas"] == 2
    assert all(rec.code != 0 for rec in kubeapi.requests)


@needs_kubectl
def test_kubectl_sees_the_real_answers(kubectl: Kubectl) -> None:
    manifest = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  REPLICAS
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: app, image: "nginx:1.27", imagePullPolicy: POLICY}]
"""
    typo = manifest.replace("REPLICAS", "replica: 3").replace("POLICY", "Always")
    r = kubectl.apply(typo)
    assert r.returncode == 1
    assert ("Error from server: failed to create typed patch object (apps/v1, "
            "Kind=Deployment): .spec.replica: field not declared in schema") in r.stderr
    r = kubectl("create", "-f", "-", stdin=typo)
    assert 'strict decoding error: unknown field "spec.replica"' in r.stderr
    enum = manifest.replace("REPLICAS", "replicas: 3").replace("POLICY", "Sometimes")
    r = kubectl.apply(enum)
    assert r.returncode == 1
    assert ('The Deployment "web" is invalid: spec.template.spec.containers[0].imagePullPolicy:'
            ' Unsupported value: "Sometimes"') in r.stderr
    r = kubectl.apply("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: My_Config}\n")
    assert 'The ConfigMap "My_Config" is invalid: metadata.name: Invalid value' in r.stderr

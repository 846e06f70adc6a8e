"""Every rule, data-driven: a failing fixture (rule id, address, message) and a passing one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

from homestack.kit.helm import HelmRelease
from homestack.model import (
    Group,
    Identity,
    NamespaceTier,
    Network,
    Nic,
    Provider,
    Resource,
    Role,
    Site,
    StateSettings,
    User,
    Vm,
)
from homestack.model import annotations as a
from homestack.policy import RULES, Finding, check_all, rule

from .support import (
    SITE,
    backup,
    container,
    deployment,
    ingress,
    namespace,
    pdb,
    pvc,
    resources_of,
    service,
    stacks,
)

Obj = tuple[str, dict[str, Any]] | tuple[str, dict[str, Any], dict[str, Any]]
APP_DEPLOY = "k8s:apps/v1:Deployment:app/app"
APP_INGRESS = "k8s:networking.k8s.io/v1:Ingress:app/web"
APP_PVC = "k8s:v1:PersistentVolumeClaim:app/data"


@dataclass(frozen=True)
class Fixture:
    """A homelab in miniature: objects by Stack, Site changes, Stack tiers and namespaces."""

    objects: tuple[Obj, ...] = ()
    site: Mapping[str, Any] = field(default_factory=dict)
    tiers: Mapping[str, NamespaceTier | None] = field(default_factory=dict)
    namespaces: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Any] | None = None  # a Helm release of Stack app with these values

    def findings(self, rule_id: str) -> list[Finding]:
        site = SITE.model_copy(update=dict(self.site)) if self.site else SITE
        declared = stacks(self.tiers, self.namespaces)
        if self.values is not None:
            declared["app"].add(HelmRelease(name="app", chart="app", version="1.0.0",
                                            repo="https://charts.example.org",
                                            values=dict(self.values)))
        return check_all(site, declared, resources_of(self.objects), rules=[rule(rule_id)])


@dataclass(frozen=True)
class Case:
    """One rule: what fails (at ``address`` with ``message`` in the text) and what passes."""

    rule: str
    bad: Fixture
    good: Fixture
    address: str
    message: str


def _deploy(**kw: Any) -> Fixture:
    return Fixture((("app", deployment(**kw)),))


def _one(*objects: Obj, **kw: Any) -> Fixture:
    return Fixture(tuple(objects), **kw)


def _ing(**notes: str) -> Fixture:
    host = notes.pop("host", "app.example.org")
    return Fixture((("app", ingress(host=host, notes=notes)),))


def _c(**kw: Any) -> list[dict[str, Any]]:
    return [container(**kw)]


GPU = {"resources": {"limits": {"nvidia.com/gpu": 1}}}
GPU_PLACED = {"nodeSelector": {"gpu": "true"},
              "tolerations": [{"key": "nvidia.com/gpu", "operator": "Exists",
                               "effect": "NoSchedule"}]}
CRITICAL: dict[str, Any] = {"metadata": {"annotations": {a.CRITICAL: "true"}}}
NFS_VOLUME = {"volumes": [{"name": "media", "nfs": {"server": "nas", "path": "/srv/nfs"}}]}
PVC_VOLUME = {"volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": "data"}}]}
OWNED = {a.IMAGE_OWNER: "keel"}
PRIORITY_CLASS = {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
                  "metadata": {"name": "tier-4-aux", "labels": {a.MANAGED_BY: "homestack"}},
                  "value": 200000}
SECRET_ENV = [{"name": "DB_PASSWORD", "value": "hunter2"}]


def _vm(vm_id: int, name: str, ip: str) -> Vm:
    return Vm(id=vm_id, name=name, cores=2, memory="2Gi", nics=(Nic(bridge="vmbr1", ip=ip),))


def _users(*users: User) -> Identity:
    return SITE.identity.model_copy(update={"users": users})


def _dns(kind: str, name: str, **body: Any) -> Fixture:
    return Fixture((("app", {"resource": _record(kind, name, **body)}),))


def _record(kind: str, name: str, **body: Any) -> Resource:
    rtype = kind.partition(":")[2]
    fields = {"type": rtype, "name": name, "content": "203.0.113.10", **body}
    return Resource(provider=Provider.DNS, kind=kind, name=name, body=fields)


def _blueprint(text: str) -> Fixture:
    body = {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "blueprints", "namespace": "authentik"},
            "data": {"b.yaml": text}}
    return Fixture((("authentik", body),))


GOOD_BLUEPRINT = ("version: 1\nentries:\n- model: authentik_core.group\n  identifiers: {name: a}\n"
                  "  attrs: {name: a}\n  state: present\n")


CASES = [
    Case("HS-AUTHENTIK-001", _blueprint(GOOD_BLUEPRINT.replace("authentik_core.group",
                                                               "authentik_core.grup")),
         _blueprint(GOOD_BLUEPRINT), "k8s:v1:ConfigMap:authentik/blueprints",
         "blueprint b.yaml: entries[0]: unknown model 'authentik_core.grup'"),
    # ingress and auth
    Case("HS-AUTH-001", _ing(**{a.AUTH: "none"}),
         _ing(**{a.AUTH: "none", a.AUTH_REASON: "PoW proxy in front"}),
         APP_INGRESS, "auth is 'none' but no reason"),
    Case("HS-AUTH-002", _ing(**{a.ALLOWED_GROUPS: "admins,ghosts"}),
         _ing(**{a.ALLOWED_GROUPS: "admins, family"}),
         APP_INGRESS, "allowed group 'ghosts' is not in the Site roster"),
    Case("HS-AUTH-003", _ing(**{a.AUTH: "sso"}), _ing(**{a.AUTH: "public"}),
         APP_INGRESS, "homestack.dev/auth is 'sso'"),
    Case("HS-INGRESS-001", _ing(**{a.CATALOG_DESCRIPTION: ""}),
         _ing(**{a.CATALOG_DESCRIPTION: "", a.CATALOG_HIDDEN: "true"}),
         APP_INGRESS, "no catalog description"),
    Case("HS-INGRESS-002",
         _ing(**{a.AUTH: "none", a.AUTH_REASON: "x", a.DNS: "none"}),
         _ing(**{a.AUTH: "none", a.AUTH_REASON: "x", a.DNS: "internal"}),
         APP_INGRESS, "app.example.org has auth none and DNS none"),
    Case("HS-INGRESS-003",
         _one(("app", ingress()), ("other", ingress(namespace="other"))),
         _one(("app", ingress()), ("other", ingress(namespace="other", host="o.example.org"))),
         APP_INGRESS, "host app.example.org is also served by Stack other"),
    Case("HS-INGRESS-004", _ing(host="app.example.net"), _ing(host="app.home.arpa"),
         APP_INGRESS, "host app.example.net is under neither"),
    # storage
    Case("HS-STORAGE-001", _one(("app", pvc(storage_class=None))),
         _one(("app", pvc(storage_class=""))), APP_PVC, "has no storageClassName"),
    Case("HS-STORAGE-002", _one(("app", pvc(storage_class="fast"))),
         _one(("app", pvc(storage_class="nfs-truenas"))), APP_PVC,
         "uses StorageClass 'fast', which the Site does not declare"),
    Case("HS-STORAGE-003", _one(("app", pvc(storage_class="local-path"))),
         _one(("app", pvc(storage_class="proxmox-lvm"))), APP_PVC,
         "uses local-path, which pins the pod to one node"),
    Case("HS-STORAGE-004", _one(("app", pvc(notes={a.SENSITIVE: "true"}))),
         _one(("app", pvc(storage_class="proxmox-lvm-encrypted",
                          notes={a.SENSITIVE: "true"}))),
         APP_PVC, "holds sensitive data on StorageClass 'proxmox-lvm', which is not encrypted"),
    Case("HS-STORAGE-005", _one(("app", pvc()), ("app", backup("other"))),
         _one(("app", pvc()), ("app", backup("data"))),
         APP_PVC, "block PVC data on proxmox-lvm has no backup CronJob"),
    Case("HS-STORAGE-006", _one(("app", pvc()), ("app", deployment(pod=PVC_VOLUME))),
         _one(("app", pvc()),
              ("app", deployment(pod=PVC_VOLUME, spec={"strategy": {"type": "Recreate"}}))),
         APP_DEPLOY, "mounts ReadWriteOnce PVC data but rolls out with RollingUpdate"),
    Case("HS-STORAGE-007", _deploy(pod=NFS_VOLUME), _deploy(pod=PVC_VOLUME),
         APP_DEPLOY, "volume 'media' mounts NFS inline"),
    Case("HS-STORAGE-008",
         _one(("app", pvc(storage_class="nfs-truenas", modes=("ReadWriteMany",),
                          notes={a.SQLITE: "true"}))),
         _one(("app", pvc(notes={a.SQLITE: "true"}))),
         APP_PVC, "PVC data holds SQLite data on NFS"),
    # workloads
    # Guaranteed tiers (0-2) request what they are limited to; Burstable ones (3-4) may not.
    Case("HS-WORKLOAD-001",
         _one(("app", deployment(containers=_c(resources={"limits": {"memory": "128Mi"}}))),
              tiers={"app": NamespaceTier.CLUSTER}),
         _one(("app", deployment(containers=_c(resources={"limits": {"memory": "128Mi"}})))),
         APP_DEPLOY, "container 'main' requests 64Mi memory but is limited to 128Mi"),
    Case("HS-WORKLOAD-001",
         _one(("app", namespace("app", {"tier": "4-aux"})),
              ("app", deployment(containers=_c(resources={"requests": {"memory": "256Mi"},
                                                          "limits": {"memory": "128Mi"}})))),
         _deploy(), APP_DEPLOY, "container 'main' requests 256Mi memory but is limited to 128Mi"),
    Case("HS-WORKLOAD-002",
         _deploy(containers=[{"name": "main", "image": "ghcr.io/a/b:1",
                              "resources": {"limits": {"memory": "1Gi"}}}]),
         _deploy(), APP_DEPLOY, "container 'main' has no cpu request"),
    Case("HS-WORKLOAD-003", _deploy(containers=_c(resources={"limits": {"cpu": "1"}})),
         _deploy(), APP_DEPLOY, "container 'main' sets a cpu limit (1)"),
    Case("HS-WORKLOAD-004", _one(("app", deployment(**CRITICAL)), ("app", pdb())),
         _one(("app", deployment(replicas=3, **CRITICAL)), ("app", pdb(maxUnavailable=1))),
         APP_DEPLOY, "critical-path workload runs 1 replica(s), needs at least 3"),
    Case("HS-WORKLOAD-005",
         _one(("traefik", deployment("traefik", "traefik", replicas=3))),
         _one(("traefik", deployment("traefik", "traefik", replicas=3)),
              ("traefik", pdb("traefik", "traefik", maxUnavailable=1))),
         "k8s:apps/v1:Deployment:traefik/traefik", "has no PodDisruptionBudget"),
    Case("HS-WORKLOAD-006", _one(("app", deployment(replicas=2)), ("app", pdb(minAvailable=2))),
         _one(("app", deployment(replicas=2)), ("app", pdb(minAvailable=1))),
         "k8s:policy/v1:PodDisruptionBudget:app/app",
         "minAvailable 2 with 2 replica(s) for Deployment app"),
    Case("HS-WORKLOAD-007", _deploy(containers=_c(**GPU)),
         _deploy(containers=_c(**GPU), pod=GPU_PLACED),
         APP_DEPLOY, "requests nvidia.com/gpu but does not target the GPU node "
         "(nodeSelector gpu=true, toleration nvidia.com/gpu=true:NoSchedule)"),
    Case("HS-WORKLOAD-008", _deploy(containers=_c(securityContext={"privileged": True})),
         _one(("app", deployment(namespace="csi",
                                 containers=_c(securityContext={"privileged": True})))),
         APP_DEPLOY, "container 'main' is privileged in namespace app"),
    Case("HS-WORKLOAD-009", _deploy(pod={"hostNetwork": True}),
         _deploy(pod={"hostNetwork": False}), APP_DEPLOY, "uses hostNetwork in namespace app"),
    Case("HS-WORKLOAD-010",
         _deploy(containers=_c(securityContext={"capabilities": {"add": ["SYS_ADMIN"]}})),
         _deploy(containers=_c(securityContext={"capabilities": {"add": ["NET_BIND_SERVICE"]}})),
         APP_DEPLOY, "container 'main' adds SYS_ADMIN"),
    # network
    Case("HS-NET-001", _one(("app", service("dns", ip="10.0.20.250"))),
         _one(("app", service("dns", ip="10.0.20.200"))),
         "k8s:v1:Service:app/dns", "LB IP 10.0.20.250 is outside the pool 10.0.20.200-10.0.20.220"),
    Case("HS-NET-002",
         _one(("app", service("dns", ip="10.0.20.200")),
              ("other", service("mqtt", "other", ip="10.0.20.200", etp="Local"))),
         _one(("app", service("dns", ip="10.0.20.200")),
              ("other", service("mqtt", "other", ip="10.0.20.200"))),
         "k8s:v1:Service:other/mqtt", "externalTrafficPolicy Local on 10.0.20.200"),
    Case("HS-NET-003",
         _one(("app", service("dns", ip="10.0.20.203", etp="Local"))),
         _one(("traefik", service("traefik", "traefik", ip="10.0.20.203", etp="Local"))),
         "k8s:v1:Service:app/dns", "IP 10.0.20.203 is dedicated to traefik"),
    Case("HS-NET-004",
         Fixture(site={"vms": (*SITE.vms, _vm(201, "dup", "10.0.20.150/24"))}), Fixture(),
         "pve:vm:201", "VM id 201 is used by k8s-node1 and dup"),
    Case("HS-NET-005",
         Fixture(site={"vms": (*SITE.vms, _vm(300, "clash", "10.0.20.101/24"))}),
         Fixture(site={"vms": (*SITE.vms, _vm(300, "fine", "10.0.20.150/24"))}),
         "pve:vm:300", "IP 10.0.20.101 of VM clash is also used by VM k8s-node1"),
    Case("HS-NET-006",
         Fixture(site={"networks": (*SITE.networks, Network(name="big", cidr="10.0.0.0/16"))}),
         Fixture(site={"networks": (*SITE.networks, Network(name="mgmt", cidr="10.0.10.0/24"))}),
         "site:network:big", "network big (10.0.0.0/16) overlaps k8s (10.0.20.0/24)"),
    Case("HS-NET-007",
         Fixture(site={"vms": (*SITE.vms, _vm(300, "odd", "10.0.20.210/24"))}),
         Fixture(site={"vms": (*SITE.vms, _vm(300, "odd", "10.0.20.150/24"))}),
         "pve:vm:300", "VM odd has IP 10.0.20.210/24 inside the LB pool"),
    # identity
    Case("HS-IDENTITY-001",
         Fixture(site={"identity": SITE.identity.model_copy(
             update={"groups": (Group(name="admins", members=("alice", "carol")),)})}),
         Fixture(), "site:identity:group/admins", "lists 'carol', who is not in the roster"),
    Case("HS-IDENTITY-002",
         Fixture(site={"identity": _users(
             User(name="bob", role=Role.NAMESPACE_OWNER, email="b@x", namespaces=("lab",)),
             User(name="eve", role=Role.NAMESPACE_OWNER, email="e@x", namespaces=("lab",)))}),
         Fixture(site={"identity": _users(
             User(name="bob", role=Role.NAMESPACE_OWNER, email="b@x", namespaces=("lab",)),
             User(name="eve", role=Role.NAMESPACE_OWNER, email="e@x", namespaces=("eve",)))}),
         "site:identity:user/eve", "namespace lab is owned by bob and eve"),
    Case("HS-IDENTITY-003",
         Fixture(site={"identity": _users(
             User(name="bob", role=Role.ADMIN, email="b@x"),
             User(name="bob", role=Role.ADMIN, email="c@x"))}),
         Fixture(), "site:identity:user/bob", "user bob is declared twice"),
    Case("HS-IDENTITY-004",
         Fixture(site={"identity": SITE.identity.model_copy(update={"departed": ("alice",)})}),
         Fixture(site={"identity": SITE.identity.model_copy(update={"departed": ("zoe",)})}),
         "site:identity:user/alice", "user alice is in the roster and among the departed"),
    # tiers
    Case("HS-TIER-001", _one(("app", namespace("app", {"tier": "5-bogus"}))),
         _one(("app", namespace("app", {"tier": "4-aux"}))),
         "k8s:v1:Namespace:app", "tier label '5-bogus' is not a tier"),
    Case("HS-TIER-002", _one(("app", namespace("misc"))),
         _one(("app", namespace("misc", {"tier": "3-edge"}))),
         "k8s:v1:Namespace:misc", "namespace has no tier"),
    Case("HS-TIER-003",
         _one(("app", deployment(replicas=4, containers=_c(resources={
             "requests": {"memory": "700Mi"}, "limits": {"memory": "700Mi"}})))),
         _one(("app", deployment(replicas=4, spec={"strategy": {"type": "Recreate"}},
                                 containers=_c(resources={
                                     "requests": {"memory": "700Mi"},
                                     "limits": {"memory": "700Mi"}})))),
         "k8s:v1:Namespace:app",
         "namespace app: requests.memory 3.42Gi exceeds the 4-aux quota 3Gi by 428Mi"),
    Case("HS-TIER-004",
         Fixture(tiers={"app": NamespaceTier.AUX, "other": NamespaceTier.EDGE},
                 namespaces={"other": "app"}),
         Fixture(namespaces={"other": "app"}),
         "k8s:v1:Namespace:app", "Stacks sharing namespace app disagree on its tier "
         "(app 4-aux, other 3-edge)"),
    Case("HS-TIER-005", _one(("app", namespace("app", {"tier": "0-core"}))),
         _one(("app", namespace("app", {"tier": "4-aux"}))),
         "k8s:v1:Namespace:app", "tier label 0-core contradicts Stack app's tier 4-aux"),
    Case("HS-TIER-006", _deploy(pod={"priorityClassName": "tier-0-core"}),
         _deploy(pod={"priorityClassName": "tier-4-aux"}),
         APP_DEPLOY, "priorityClassName tier-0-core overrides the namespace's tier-4-aux"),
    Case("HS-TIER-007",
         _deploy(containers=_c(resources={"requests": {"memory": "6Gi"},
                                          "limits": {"memory": "6Gi"}})),
         _deploy(containers=_c(resources={"requests": {"memory": "4Gi"},
                                          "limits": {"memory": "4Gi"}})),
         APP_DEPLOY, "memory limit 6Gi exceeds the 4-aux LimitRange max 4Gi"),
    Case("HS-TIER-009",
         _one(("app", namespace("app", {"tier": "4-aux", "homestack.dev/no-quota": "true"}))),
         _one(("app", {**namespace("app", {"tier": "4-aux", "homestack.dev/no-quota": "true"}),
                       "metadata": {"name": "app",
                                    "labels": {"tier": "4-aux", "homestack.dev/no-quota": "true"},
                                    "annotations": {a.NO_QUOTA_REASON: "CI runners burst"}}})),
         "k8s:v1:Namespace:app", "namespace app opts out of its tier quota without a reason"),
    Case("HS-TIER-010", _one(("app", PRIORITY_CLASS)),
         _one(("platform", PRIORITY_CLASS), tiers={"platform": NamespaceTier.CLUSTER}),
         "k8s:scheduling.k8s.io/v1:PriorityClass:tier-4-aux",
         "belong to Stack app only because it sorts first"),
    Case("HS-TIER-008", _deploy(),
         _one(("app", namespace("app", {"tier": "4-aux"})), ("app", deployment())),
         APP_DEPLOY, "namespace 'app' is not declared by any Stack"),
    # images
    Case("HS-IMAGE-001", _deploy(containers=_c(image="nginx:latest")),
         _one(("app", deployment(containers=_c(image="nginx:latest"),
                                 metadata={"annotations": OWNED}))),
         APP_DEPLOY, "image nginx:latest is not pinned"),
    Case("HS-IMAGE-001", _deploy(containers=_c(image="ghcr.io/acme/app:nightly")),
         _deploy(containers=_c(image="ghcr.io/acme/app:2024.11.30")),
         APP_DEPLOY, "image ghcr.io/acme/app:nightly is not pinned"),
    Case("HS-IMAGE-002", _deploy(containers=_c(image="quay.io/x/y:1.0")),
         _deploy(containers=_c(image="nginx:1.27")),
         APP_DEPLOY, "image quay.io/x/y:1.0 comes from quay.io, which is not trusted"),
    Case("HS-IMAGE-003",
         _one(("app", deployment(metadata={"annotations": OWNED}))),
         _one(("app", deployment(metadata={"annotations": OWNED}),
               {"owned_elsewhere": ("spec.template.spec.containers[0].image",)})),
         APP_DEPLOY, "keel owns the image field"),
    Case("HS-IMAGE-004", _deploy(containers=_c(imagePullPolicy="Always")),
         _deploy(containers=_c(imagePullPolicy="IfNotPresent")),
         APP_DEPLOY, "with Always, expected IfNotPresent"),
    # secrets
    Case("HS-SECRET-001", _deploy(containers=_c(env=SECRET_ENV)),
         _deploy(containers=_c(env=[{"name": "DB_PASSWORD_FILE", "value": "/run/s/pw"},
                                    {"name": "SSH_KEY", "value": "/opt/id_rsa"},
                                    {"name": "DB_PASSWORD", "valueFrom": {
                                        "secretKeyRef": {"name": "db", "key": "pw"}}}])),
         APP_DEPLOY, "sets DB_PASSWORD to a literal value"),
    Case("HS-SECRET-002",
         _one(("app", {"apiVersion": "v1", "kind": "Secret",
                       "metadata": {"name": "db", "namespace": "app"},
                       "stringData": {"password": "x"}})),
         _one(("app", {"apiVersion": "v1", "kind": "Secret",
                       "metadata": {"name": "db", "namespace": "app"}})),
         "k8s:v1:Secret:app/db", "Secret db holds literal values (password)"),
    Case("HS-SECRET-003",
         _one(("app", {"apiVersion": "v1", "kind": "ConfigMap",
                       "metadata": {"name": "cfg", "namespace": "app"},
                       "data": {"DATABASE_URL": "postgres://app:hunter2@db/app"}})),
         _one(("app", {"apiVersion": "v1", "kind": "ConfigMap",
                       "metadata": {"name": "cfg", "namespace": "app"},
                       "data": {"DATABASE_URL": "postgres://app@db/app", "AUTH_MODE": "oidc",
                                "SMTP_AUTH_ENABLED": "true"}})),
         "k8s:v1:ConfigMap:app/cfg", "ConfigMap key DATABASE_URL holds a URL with a password"),
    Case("HS-NET-008",
         Fixture(site={"networks": (Network(name="lan", cidr="192.168.1.0/24"),
                                    Network(name="lan", cidr="192.168.2.0/24"))}),
         Fixture(site={"networks": (Network(name="lan", cidr="192.168.1.0/24"),
                                    Network(name="iot", cidr="192.168.2.0/24"))}),
         "site:network:lan", "2 networks are called lan"),
    Case("HS-SECRET-004", Fixture(values={"db": {"password": "hunter2"}}),
         Fixture(values={"db": {"existingSecret": "db", "passwordKey": "password"}}),
         "helm:app", "release app: values.db.password holds a literal value"),
    Case("HS-SECRET-005",
         Fixture(site={"state": StateSettings(url="postgresql://hs:hunter2@db/hs")}),
         Fixture(site={"state": StateSettings(url="postgresql://hs@db/hs")}),
         "site:state.url", "site.state.url holds a password"),
    # DNS records
    Case("HS-DNS-001", _dns("cloudflare:A", "app.example.net"),
         _dns("cloudflare:A", "app.example.org"),
         "dns:cloudflare:A:app.example.net", "app.example.net is outside the zones"),
    Case("HS-DNS-002",
         Fixture((("app", {"resource": _record("cloudflare:CNAME", "app.example.org",
                                               content="tunnel.example.net")}),
                  ("mail", {"resource": _record("cloudflare:MX", "app.example.org",
                                                content="mx.example.org")}))),
         _dns("cloudflare:CNAME", "app.example.org", content="tunnel.example.net"),
         "dns:cloudflare:CNAME:app.example.org", "CNAME app.example.org shares its name with MX"),
    Case("HS-DNS-003", _dns("cloudflare:TXT", "app.example.org", content="v", proxied=True),
         _dns("cloudflare:TXT", "app.example.org", content="v", proxied=False),
         "dns:cloudflare:TXT:app.example.org", "a TXT record cannot be proxied"),
    Case("HS-DNS-004", _dns("cloudflare:A", "app.example.org", ttl=10),
         _dns("cloudflare:A", "app.example.org", ttl=1),
         "dns:cloudflare:A:app.example.org", "TTL 10 is out of range"),
    # silencing
    Case("HS-POLICY-001", _one(("app", deployment(), {"ignore": ("HS-IMAGE-001",)})),
         _one(("app", deployment(), {"ignore": ("HS-IMAGE-001: digest pinned by CI",)})),
         APP_DEPLOY, "silences HS-IMAGE-001 without a reason"),
    Case("HS-POLICY-002", _one(("app", deployment(), {"ignore": ("HS-NOPE-999: typo",)})),
         _one(("app", deployment(), {"ignore": ("HS-WORKLOAD-003: vendor chart",)})),
         APP_DEPLOY, "names unknown rule HS-NOPE-999"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.rule)
def test_rule_flags_the_failing_fixture(case: Case) -> None:
    findings = case.bad.findings(case.rule)
    assert findings, f"{case.rule} found nothing"
    assert {f.rule for f in findings} == {case.rule}
    matching = [f for f in findings if f.address == case.address]
    assert matching, [f.address for f in findings]
    assert any(case.message in f.message for f in matching), [f.message for f in matching]
    assert all(f.fix for f in findings)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.rule)
def test_rule_passes_the_passing_fixture(case: Case) -> None:
    assert case.good.findings(case.rule) == []


def test_every_rule_has_a_case() -> None:
    assert sorted({case.rule for case in CASES}) == sorted(r.id for r in RULES)


def test_there_are_at_least_25_rules_with_unique_ids() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) >= 25
    assert len(set(ids)) == len(ids)


def test_every_rule_says_why_and_how_to_fix() -> None:
    for known in RULES:
        assert known.title and known.rationale and known.fix, known.id


def test_site_without_registries_trusts_everything() -> None:
    site = SITE.model_copy(update={"trusted_registries": ()})
    objects = resources_of([("app", deployment(containers=_c(image="quay.io/x/y:1")))])
    assert check_all(site, stacks(), objects, rules=[rule("HS-IMAGE-002")]) == []


def test_unknown_rule_lookup_raises() -> None:
    with pytest.raises(KeyError):
        rule("HS-NOPE-001")


def test_reference_like_site_has_no_site_findings() -> None:
    site: Site = SITE
    assert [f for f in check_all(site, stacks(), {}) if f.stack == "(site)"] == []


@pytest.mark.parametrize(("name", "value", "why"), [
    ("ADMIN_PW", "hunter2", "a literal value"),
    ("SMTP_AUTH", "user:hunter2", "a literal value"),
    ("DBPASSWORD", "hunter2", "a literal value"),
    ("GITHUBTOKEN", "ghp_x", "a literal value"),
    ("SENTRY_DSN", "https://key@sentry.io/1", "a literal value"),
    ("DATABASE_URL", "postgresql://app:hunter2@db/app", "a URL with a password in it"),
    ("UPSTREAM", "redis://:hunter2@cache:6379", "a URL with a password in it"),
])
def test_plain_env_heuristics_catch_secret_values(name: str, value: str, why: str) -> None:
    fixture = _deploy(containers=_c(env=[{"name": name, "value": value}]))
    [finding] = fixture.findings("HS-SECRET-001")
    assert finding.message.endswith(f"sets {name} to {why}")
    assert "secret reference" in finding.fix


@pytest.mark.parametrize(("name", "value"), [
    ("DATABASE_URL", "postgresql://app@db/app"), ("AUTH_HEADER", "X-Remote-User"),
    ("SMTP_AUTH", "true"), ("PASSWORD_FILE", "/run/secrets/pw"), ("KEYBOARD", "us"),
])
def test_plain_env_heuristics_leave_settings_alone(name: str, value: str) -> None:
    fixture = _deploy(containers=_c(env=[{"name": name, "value": value}]))
    assert fixture.findings("HS-SECRET-001") == []


def test_a_url_with_a_password_in_args_is_a_finding() -> None:
    fixture = _deploy(containers=_c(args=["--db", "postgres://u:hunter2@db/x"]))
    [finding] = fixture.findings("HS-SECRET-001")
    assert "URL with a password in its args" in finding.message

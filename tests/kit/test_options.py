"""Options of the kit helpers that the golden files show but do not name: one behaviour each."""

from __future__ import annotations

from typing import Any

import yaml

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    WildcardTls,
    Workload,
    anubis,
    auth,
    block_volume,
    deployment,
    ingress,
    namespace,
    nfs_volume,
    postgres_database,
    vault_secret,
)
from homestack.model import Capability, Provider, Resource, SecretRef
from homestack.model import annotations as ann
from homestack.model.tier import TIER_LABEL
from tests.kit.support import SITE


def _stack(**fields: Any) -> Stack:
    return Stack("app", **fields)


def _web(stack: Stack, **options: Any) -> Workload:
    return deployment(stack, "web", image="ghcr.io/acme/web:1.0.0", port=8080, memory="64Mi",
                      cpu="10m", **options)


def _one(resources: list[Resource], address: str) -> Resource:
    return next(r for r in resources if r.address == address)


def _notes(resource: Resource) -> dict[str, str]:
    notes: dict[str, str] = resource.body["metadata"].get("annotations", {})
    return notes


def test_cpu_is_a_request_only_and_memory_request_equals_limit() -> None:
    stack = _stack()
    _web(stack)
    container = _one(stack.render(SITE), "k8s:apps/v1:Deployment:app/web").body["spec"][
        "template"]["spec"]["containers"][0]
    assert container["resources"] == {"requests": {"cpu": "10m", "memory": "64Mi"},
                                      "limits": {"memory": "64Mi"}}


def test_keel_owned_latest_image_is_recorded_and_owned_elsewhere() -> None:
    stack = _stack()
    deployment(stack, "web", image="ghcr.io/acme/web:latest", image_owner="keel",
               memory="64Mi", cpu="10m")
    resource = _one(stack.render(SITE), "k8s:apps/v1:Deployment:app/web")
    assert _notes(resource)[ann.IMAGE_OWNER] == "keel"
    assert _notes(resource)["keel.sh/policy"] == "force"
    assert "spec.template.spec.containers[web].image" in resource.owned_elsewhere
    assert not any("dnsConfig" in path for path in resource.owned_elsewhere)


def test_secret_env_reads_the_stack_external_secret_and_reloads() -> None:
    stack = _stack()
    ref = vault_secret(stack, "token")
    _web(stack, env={"TOKEN": ref})
    rendered = stack.render(SITE)
    workload = _one(rendered, "k8s:apps/v1:Deployment:app/web")
    env = workload.body["spec"]["template"]["spec"]["containers"][0]["env"]
    assert env == [{"name": "TOKEN",
                    "valueFrom": {"secretKeyRef": {"name": "app-secrets", "key": "token"}}}]
    assert workload.secret_refs == (SecretRef(path="secret/app", key="token"),)
    assert _notes(workload)["reloader.stakater.com/auto"] == "true"
    secret = _one(rendered, "k8s:external-secrets.io/v1:ExternalSecret:app/app-secrets")
    assert secret.body["spec"]["data"][0]["remoteRef"] == {"key": "secret/app",
                                                           "property": "token"}


def test_reloader_can_be_turned_off() -> None:
    stack = _stack()
    _web(stack, env={"TOKEN": SecretRef.parse("secret/app#token")},
         reload_on_secret_change=False)
    workload = _one(stack.render(SITE), "k8s:apps/v1:Deployment:app/web")
    assert "reloader.stakater.com/auto" not in _notes(workload)


def test_plain_env_does_not_reload() -> None:
    stack = _stack()
    _web(stack, env={"MODE": "fast"})
    assert "reloader.stakater.com/auto" not in _notes(
        _one(stack.render(SITE), "k8s:apps/v1:Deployment:app/web"))


def test_keys_of_one_path_share_one_external_secret() -> None:
    stack = _stack()
    _web(stack, env={"A": vault_secret(stack, "a"), "B": vault_secret(stack, "b")})
    secrets = [r for r in stack.render(SITE) if r.k8s_kind == "ExternalSecret"]
    assert [r.object_name for r in secrets] == ["app-secrets"]
    assert [d["secretKey"] for d in secrets[0].body["spec"]["data"]] == ["a", "b"]


def test_only_block_volumes_force_recreate() -> None:
    stack = _stack()
    _web(stack, mounts={"/media": nfs_volume(stack, "media", export="/srv/nfs/m", size="1Ti")})
    spec = _one(stack.render(SITE), "k8s:apps/v1:Deployment:app/web").body["spec"]
    assert "strategy" not in spec
    other = _stack()
    _web(other, mounts={"/data": block_volume(other, "data", size="1Gi")})
    spec = _one(other.render(SITE), "k8s:apps/v1:Deployment:app/web").body["spec"]
    assert spec["strategy"] == {"type": "Recreate"}


def test_block_volume_defaults_to_the_encrypted_class() -> None:
    stack = _stack()
    block_volume(stack, "data", size="1Gi")
    claim = _one(stack.render(SITE), "k8s:v1:PersistentVolumeClaim:app/data")
    assert claim.body["spec"]["storageClassName"] == "proxmox-lvm-encrypted"
    assert _notes(claim)[ann.SENSITIVE] == "true"
    assert _notes(claim)["resize.topolvm.io/storage_limit"] == "4Gi"


def test_non_sensitive_block_volume_uses_the_plain_class() -> None:
    stack = _stack()
    block_volume(stack, "data", size="1Gi", sensitive=False)
    claim = _one(stack.render(SITE), "k8s:v1:PersistentVolumeClaim:app/data")
    assert claim.body["spec"]["storageClassName"] == "proxmox-lvm"
    assert _notes(claim)[ann.SENSITIVE] == "false"


def test_block_backups_go_to_the_service_backup_directory() -> None:
    stack = _stack()
    block_volume(stack, "data", size="1Gi")
    block_volume(stack, "index", size="1Gi")
    rendered = stack.render(SITE)
    pv = _one(rendered, "k8s:v1:PersistentVolume:app-backup")
    assert pv.body["spec"]["csi"]["volumeAttributes"]["share"] == "/mnt/main/app-backup"
    jobs = [r for r in rendered if r.k8s_kind == "CronJob"]
    assert sorted(_notes(job)[ann.BACKUP_OF] for job in jobs) == ["data", "index"]


def test_nfs_volume_is_a_retained_static_pv_unique_per_namespace() -> None:
    stack = _stack()
    nfs_volume(stack, "media", export="/srv/nfs/media", size="1Ti", sqlite=True)
    rendered = stack.render(SITE)
    pv = _one(rendered, "k8s:v1:PersistentVolume:app-media").body
    assert pv["spec"]["persistentVolumeReclaimPolicy"] == "Retain"
    assert pv["spec"]["mountOptions"] == ["nfsvers=4", "soft", "timeo=30", "retrans=3",
                                          "actimeo=5"]
    assert pv["spec"]["claimRef"] == {"namespace": "app", "name": "media"}
    claim = _one(rendered, "k8s:v1:PersistentVolumeClaim:app/media")
    assert _notes(claim)[ann.SQLITE] == "true"


def test_one_tls_copy_per_namespace_however_many_ingresses() -> None:
    stack = _stack()
    web = _web(stack)
    ingress(stack, web, name="one", host="one")
    ingress(stack, web, name="two", host="two")
    ingress(stack, web, name="three", host="three.home.arpa")
    assert sum(isinstance(c, WildcardTls) for c in stack.components) == 1
    names = [r.object_name for r in stack.render(SITE) if r.k8s_kind == "ExternalSecret"]
    assert names == ["wildcard-internal-tls", "wildcard-tls"]


def _dns(host: str, dns: str | None) -> list[tuple[str, dict[str, Any]]]:
    stack = _stack()
    ingress(stack, _web(stack), host=host, dns=dns)
    return [(r.address, r.body) for r in stack.render(SITE) if r.provider is Provider.DNS]


def test_proxied_hosts_ride_the_wildcard() -> None:
    assert _dns("web", "proxied") == []


def test_proxied_apex_gets_a_cname_to_the_tunnel() -> None:
    assert _dns("@", None) == [("dns:cloudflare:CNAME:example.org",
                                {"type": "CNAME", "name": "example.org",
                                 "content": "homelab.cfargotunnel.com", "proxied": True})]


def test_non_proxied_host_gets_an_a_record_to_the_public_ip() -> None:
    assert _dns("web", "non-proxied")[0][0] == "dns:cloudflare:A:web.example.org"
    assert _dns("web", "non-proxied")[0][1]["content"] == "203.0.113.7"


def test_internal_domain_host_defaults_to_internal_dns() -> None:
    assert _dns("web.home.arpa", None) == [("dns:technitium:A:web.home.arpa",
                                            {"type": "A", "name": "web.home.arpa",
                                             "content": "10.0.20.203"})]


def test_dns_none_publishes_nothing() -> None:
    assert _dns("web", "none") == []


def test_required_auth_defaults_to_the_admin_group() -> None:
    stack = _stack()
    ingress(stack, _web(stack))
    notes = _notes(_one(stack.render(SITE), "k8s:networking.k8s.io/v1:Ingress:app/web"))
    assert notes[ann.AUTH] == "required"
    assert notes[ann.ALLOWED_GROUPS] == "admins"
    assert notes[ann.ANTI_AI] == "false"
    assert notes[ann.DNS] == "proxied"


def test_catalog_tile_is_recorded() -> None:
    stack = _stack()
    ingress(stack, _web(stack), auth=auth.app("own login"), external_monitor=True,
            catalog=Catalog(name="Web", group="Tools", icon="web.png", description="A web app",
                            href="https://web.example.org/home"))
    notes = _notes(_one(stack.render(SITE), "k8s:networking.k8s.io/v1:Ingress:app/web"))
    assert {k: notes[k] for k in (ann.CATALOG_NAME, ann.CATALOG_GROUP, ann.CATALOG_ICON,
                                  ann.CATALOG_DESCRIPTION, ann.CATALOG_HREF,
                                  ann.EXTERNAL_MONITOR, ann.AUTH_REASON)} == {
        ann.CATALOG_NAME: "Web", ann.CATALOG_GROUP: "Tools", ann.CATALOG_ICON: "web.png",
        ann.CATALOG_DESCRIPTION: "A web app", ann.CATALOG_HREF: "https://web.example.org/home",
        ann.EXTERNAL_MONITOR: "true", ann.AUTH_REASON: "own login"}


def test_hidden_tile() -> None:
    stack = _stack()
    ingress(stack, _web(stack), catalog=Catalog(hidden=True))
    notes = _notes(_one(stack.render(SITE), "k8s:networking.k8s.io/v1:Ingress:app/web"))
    assert notes[ann.CATALOG_HIDDEN] == "true"


def test_anubis_policy_trusts_the_lan_first() -> None:
    stack = _stack()
    proxy = anubis(stack, _web(stack))
    assert (proxy.service, proxy.port) == ("web-anubis", 8923)
    config = _one(stack.render(SITE), "k8s:v1:ConfigMap:app/web-anubis-policy").body
    bots = yaml.safe_load(config["data"]["botPolicy.yaml"])["bots"]
    assert bots[0] == {"name": "trusted-local", "action": "ALLOW",
                       "remote_addresses": ["192.168.1.0/24", "10.0.10.0/24"]}


def test_gpu_workload_lands_on_the_gpu_node() -> None:
    stack = _stack()
    _web(stack, gpu=1)
    pod = _one(stack.render(SITE), "k8s:apps/v1:Deployment:app/web").body["spec"]["template"][
        "spec"]
    assert pod["priorityClassName"] == "gpu-workload"
    assert pod["nodeSelector"] == {"gpu": "true"}
    assert pod["tolerations"] == [{"key": "nvidia.com/gpu", "operator": "Equal",
                                   "value": "true", "effect": "NoSchedule"}]
    assert pod["containers"][0]["resources"]["limits"]["nvidia.com/gpu"] == 1


def test_database_handle_and_required_capability() -> None:
    stack = _stack()
    db = postgres_database(stack, "app-db")
    assert db.host == "pg-shared-pooler-rw.dbaas.svc.cluster.local"
    assert (db.user, db.database, db.port) == ("app-db", "app-db", 5432)
    assert db.quoted == '"app-db"'
    assert db.password == SecretRef(path="database/static-creds/app-db", key="password",
                                    store="vault-database")
    assert [r.capability for r in stack.requirements()] == [Capability.POSTGRES,
                                                            Capability.EXTERNAL_SECRETS]
    rendered = stack.render(SITE)
    assert _one(rendered, "vault:database:static-role:app-db").body["rotation_period"] == "168h"
    assert _one(rendered, "k8s:postgresql.cnpg.io/v1:Database:dbaas/app-app-db")


def test_secrets_require_external_secrets() -> None:
    stack = _stack()
    vault_secret(stack, "token")
    assert [r.capability for r in stack.requirements()] == [Capability.EXTERNAL_SECRETS]


def test_tier_label_only_when_the_stack_has_a_tier() -> None:
    tiered, plain = _stack(tier=tier.AUX), _stack()
    namespace(tiered)
    namespace(plain)
    assert tiered.render(SITE)[0].body["metadata"]["labels"][TIER_LABEL] == "4-aux"
    assert TIER_LABEL not in plain.render(SITE)[0].body["metadata"]["labels"]


def test_workload_handle_feeds_ingress() -> None:
    stack = _stack()
    web = _web(stack)
    assert (web.name, web.service, web.port) == ("web", "web", 8080)


def test_quota_fit_counts_the_lower_memory_request() -> None:
    from homestack.policy import check_all, rule

    def findings(**memory: str) -> list[str]:
        stack = _stack(tier=tier.AUX)
        deployment(stack, "worker", image="ghcr.io/acme/worker:1.0.0", replicas=3, cpu="10m",
                   strategy="Recreate", **memory)  # type: ignore[arg-type]
        found = check_all(SITE, {"app": stack}, {"app": stack.render(SITE)},
                          rules=[rule("HS-TIER-003")])
        return [f.message for f in found]

    # 3 x 1.5Gi requested overflows the 4-aux quota's 3Gi; 3 x 512Mi fits under the same limit.
    assert any("requests.memory 4.5Gi exceeds" in m for m in findings(memory="1536Mi"))
    assert not any("requests.memory" in m
                   for m in findings(memory="1536Mi", memory_request="512Mi"))


def test_owned_elsewhere_reaches_namespace_and_anubis() -> None:
    stack = _stack()
    namespace(stack, owned_elsewhere=['metadata.labels["team"]'])
    anubis(stack, _web(stack), owned_elsewhere=["spec.replicas"])
    rendered = stack.render(SITE)
    assert _one(rendered, "k8s:v1:Namespace:app").owned_elsewhere == ('metadata.labels["team"]',)
    proxy = _one(rendered, "k8s:apps/v1:Deployment:app/web-anubis")
    assert proxy.owned_elsewhere == ("spec.replicas",)

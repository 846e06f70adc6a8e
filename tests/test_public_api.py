"""The public names of ``homestack`` and ``homestack.kit`` are pinned: removing one is a breaking
change, and adding one is a decision (httpx pins its exports the same way)."""

from __future__ import annotations

import inspect

import homestack
import homestack.kit


def test_public_api_is_pinned() -> None:
    assert sorted(homestack.__all__) == [
        "Capability", "ChartSettings", "CloudInit", "CloudflareDns", "Cluster", "Disk",
        "DnsSettings", "Domains", "Edge", "Gitops", "GitopsFlavour", "Gpu", "Group",
        "Identity", "JoinMethod", "K8sNode", "KubeAccess", "LbPool", "NamespaceTier",
        "Network", "Nfs", "Nic", "NodeJoin", "NodeRole", "Platform", "Proxmox", "PveHost",
        "Quota", "ReleaseDelivery", "Resource", "Rfc2136Dns", "Role", "SecretRef", "Site",
        "Stack", "StateBackend", "StateSettings", "StateTier", "StorageClass", "Taint",
        "TierSpec", "TransitSettings", "User", "VaultAuth", "VaultAuthMethod",
        "VaultDatabase", "VaultSettings", "Vm", "tier",
    ]


def test_kit_api_is_pinned_to_helpers_and_their_value_types() -> None:
    assert sorted(homestack.kit.__all__) == [
        "Anubis", "Auth", "AuthMode", "Backend", "BlockVolume", "Catalog", "Claim",
        "ClusterSecret", "ConfigFiles", "ConfigMapVolume", "DnsMode", "DnsRecord",
        "EmptyDir", "ExternalSecret", "GeneratedSecret", "HelmRelease", "HostUrl",
        "Ingress", "LoadBalancer", "Mount", "Mountable", "MysqlDatabase", "Namespace",
        "NfsVolume", "Pdb", "Port", "PostgresDatabase", "PostgresServer", "Probe",
        "ProxmoxVms", "READ", "RawFile", "RawManifests", "Rule", "SecretKey",
        "SecretStores", "SecretVolume", "Security", "Service", "ServiceAccount",
        "ServiceRef", "StackRef", "Tenants", "Tls", "Widget", "WildcardTls", "Workload",
        "WorkloadKind", "anubis", "auth", "block_volume", "certs", "claim",
        "cluster_secret", "config_files", "config_map", "cronjob", "daemonset",
        "deployment", "dns_record", "empty_dir", "external_secret", "generated_secret",
        "helm_release", "homepage_var", "http_probe", "ingress", "job", "load_balancer",
        "mount", "mysql_database", "namespace", "nfs_volume", "postgres_database",
        "postgres_server", "proxmox_vms", "public_key_of", "raw", "rule", "secret_files",
        "secret_stores", "service", "service_account", "stack_ref", "statefulset",
        "tcp_probe", "tenants", "tls", "vault_secret",
    ]


def test_kit_exports_no_internals() -> None:
    for name in homestack.kit.__all__:
        value = getattr(homestack.kit, name)
        module = getattr(value, "__module__", "homestack.kit")
        assert module.startswith("homestack.kit"), name
        assert not name.startswith("_")
        if inspect.isfunction(value):
            assert value.__doc__, f"{name} has no docstring"


def test_site_files_import_only_the_package_face() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "examples"
    for site in root.glob("*/site.py"):
        assert "homestack.model" not in site.read_text(), site


def test_tier_shorthand_is_the_enum() -> None:
    assert homestack.tier.AUX.value == "4-aux"


def test_kit_module_names_do_not_collide() -> None:
    from pathlib import Path

    kit_dir = Path(homestack.kit.__file__).parent
    stems = [p.stem for p in kit_dir.glob("*.py") if p.stem != "__init__"]
    roots = [stem.lstrip("_").removesuffix("s") for stem in stems]
    assert len(roots) == len(set(roots)), sorted(stems)


def test_one_protocol_for_what_an_ingress_can_point_at() -> None:
    for helper in (homestack.kit.ingress, homestack.kit.anubis):
        assert inspect.signature(helper).parameters["backend"].annotation == "Backend"
    assert homestack.kit.Anubis.__dataclass_fields__["fronts"].type == "Backend"

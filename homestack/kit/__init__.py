"""The kit: typed factory helpers a Stack calls; each attaches components that render Resources.

Every helper checks its keywords (a misspelt one is an error naming the closest valid name)
and implies the Stack's Namespace when the Stack owns it. ``__all__`` holds the helpers and the
value types they take or return, nothing else (a test pins it).

Example::

    from homestack import Stack, tier
    from homestack.kit import auth, Catalog, deployment, ingress, nfs_volume, postgres_database

    stack = Stack("immich", tier=tier.AUX, needs=["traefik", "dbaas"])
    db = postgres_database(stack, "immich")
    library = nfs_volume(stack, "library", export="/srv/nfs/immich", size="2Ti")
    server = deployment(stack, "server", image="ghcr.io/immich-app/immich-server:v1.120.0",
                        port=2283, memory="2Gi", cpu="500m",
                        env={"DB_PASSWORD": db.password}, mounts={"/data": library})
    ingress(stack, server, host="immich", auth=auth.app("Immich has its own login"),
            catalog=Catalog(description="Photo and video library"))
"""

from homestack.kit import auth, certs
from homestack.kit._backend import Backend
from homestack.kit._controller import Pdb, Workload, WorkloadKind
from homestack.kit._pod import Security
from homestack.kit._ports import Port
from homestack.kit._routing import Ingress
from homestack.kit._url import HostUrl
from homestack.kit.anubis import Anubis, anubis
from homestack.kit.auth import Auth, AuthMode
from homestack.kit.block import BlockVolume, block_volume
from homestack.kit.certs import Tls
from homestack.kit.cluster_secret import ClusterSecret, cluster_secret
from homestack.kit.config import (
    ConfigFiles,
    ConfigMapVolume,
    SecretVolume,
    config_files,
    config_map,
    secret_files,
)
from homestack.kit.dashboard import Catalog, Widget, homepage_var
from homestack.kit.database import (
    MysqlDatabase,
    PostgresDatabase,
    mysql_database,
    postgres_database,
)
from homestack.kit.dns import DnsMode, DnsRecord, dns_record
from homestack.kit.generated import GeneratedSecret, generated_secret, public_key_of
from homestack.kit.helm import HelmRelease, helm_release
from homestack.kit.ingress import ingress
from homestack.kit.loadbalancer import LoadBalancer, load_balancer
from homestack.kit.namespace import Namespace, namespace
from homestack.kit.postgres import PostgresServer, postgres_server
from homestack.kit.probe import Probe, http_probe, tcp_probe
from homestack.kit.proxmox import ProxmoxVms, proxmox_vms
from homestack.kit.raw import RawFile, RawManifests, raw
from homestack.kit.rbac import READ, Rule, ServiceAccount, rule, service_account
from homestack.kit.roster import Tenants, tenants
from homestack.kit.secret_stores import SecretStores, secret_stores
from homestack.kit.secrets import ExternalSecret, SecretKey, external_secret, vault_secret
from homestack.kit.service import Service, ServiceRef, StackRef, service, stack_ref
from homestack.kit.tls import WildcardTls, tls
from homestack.kit.volume import (
    Claim,
    EmptyDir,
    Mount,
    Mountable,
    NfsVolume,
    claim,
    empty_dir,
    mount,
    nfs_volume,
)
from homestack.kit.workload import cronjob, daemonset, deployment, job, statefulset

__all__ = [
    "READ",
    "Anubis",
    "Auth",
    "AuthMode",
    "Backend",
    "BlockVolume",
    "Catalog",
    "Claim",
    "ClusterSecret",
    "ConfigFiles",
    "ConfigMapVolume",
    "DnsMode",
    "DnsRecord",
    "EmptyDir",
    "ExternalSecret",
    "GeneratedSecret",
    "HelmRelease",
    "HostUrl",
    "Ingress",
    "LoadBalancer",
    "Mount",
    "Mountable",
    "MysqlDatabase",
    "Namespace",
    "NfsVolume",
    "Pdb",
    "Port",
    "PostgresDatabase",
    "PostgresServer",
    "Probe",
    "ProxmoxVms",
    "RawFile",
    "RawManifests",
    "Rule",
    "SecretKey",
    "SecretStores",
    "SecretVolume",
    "Security",
    "Service",
    "ServiceAccount",
    "ServiceRef",
    "StackRef",
    "Tenants",
    "Tls",
    "Widget",
    "WildcardTls",
    "Workload",
    "WorkloadKind",
    "anubis",
    "auth",
    "block_volume",
    "certs",
    "claim",
    "cluster_secret",
    "config_files",
    "config_map",
    "cronjob",
    "daemonset",
    "deployment",
    "dns_record",
    "empty_dir",
    "external_secret",
    "generated_secret",
    "helm_release",
    "homepage_var",
    "http_probe",
    "ingress",
    "job",
    "load_balancer",
    "mount",
    "mysql_database",
    "namespace",
    "nfs_volume",
    "postgres_database",
    "postgres_server",
    "proxmox_vms",
    "public_key_of",
    "raw",
    "rule",
    "secret_files",
    "secret_stores",
    "service",
    "service_account",
    "stack_ref",
    "statefulset",
    "tcp_probe",
    "tenants",
    "tls",
    "vault_secret",
]

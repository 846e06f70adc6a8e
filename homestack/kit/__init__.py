"""The kit: typed factory helpers a Stack calls; each attaches components that render Resources.

Example::

    from homestack import Stack, tier
    from homestack.kit import auth, deployment, ingress, nfs_volume, postgres_database

    stack = Stack("immich", tier=tier.AUX, needs=["traefik", "dbaas"])
    db = postgres_database(stack, "immich")
    library = nfs_volume(stack, "library", export="/srv/nfs/immich", size="2Ti")
    server = deployment(stack, "server", image="ghcr.io/immich-app/immich-server:v1.120.0",
                        port=2283, memory="2Gi", cpu="500m",
                        env={"DB_PASSWORD": db.password}, mounts={"/data": library})
    ingress(stack, server, host="immich", auth=auth.app("Immich has its own login"))
"""

from homestack.kit import auth
from homestack.kit._chain import CHAIN, ChainOptions, Step
from homestack.kit._ingress import Catalog, Ingress
from homestack.kit._pod import Security
from homestack.kit.anubis import Anubis, AnubisPolicy, anubis
from homestack.kit.auth import Auth, AuthMode
from homestack.kit.block import BackupTarget, BlockVolume, block_volume
from homestack.kit.config import (
    ConfigFiles,
    ConfigMapVolume,
    SecretVolume,
    config_files,
    config_map,
    secret_files,
)
from homestack.kit.database import (
    MysqlDatabase,
    PostgresDatabase,
    mysql_database,
    postgres_database,
)
from homestack.kit.dns import DnsMode
from homestack.kit.helm import HelmRelease, RenderedChart, helm_release
from homestack.kit.ingress import ingress
from homestack.kit.loadbalancer import LoadBalancer, load_balancer
from homestack.kit.namespace import Namespace, namespace
from homestack.kit.probe import Probe, http_probe, tcp_probe
from homestack.kit.raw import RawFile, RawManifests, is_cluster_scoped, raw
from homestack.kit.rbac import READ, Rule, ServiceAccount, rule, service_account
from homestack.kit.secrets import (
    ExternalSecret,
    SecretKey,
    SecretSync,
    external_secret,
    vault_secret,
)
from homestack.kit.tls import WildcardTls, tls
from homestack.kit.volume import EmptyDir, Mount, Mountable, NfsVolume, empty_dir, mount, nfs_volume
from homestack.kit.workload import Pdb, Workload, WorkloadKind
from homestack.kit.workloads import cronjob, daemonset, deployment, job, statefulset

__all__ = [
    "CHAIN",
    "READ",
    "Anubis",
    "AnubisPolicy",
    "Auth",
    "AuthMode",
    "BackupTarget",
    "BlockVolume",
    "Catalog",
    "ChainOptions",
    "ConfigFiles",
    "ConfigMapVolume",
    "DnsMode",
    "EmptyDir",
    "ExternalSecret",
    "HelmRelease",
    "Ingress",
    "LoadBalancer",
    "Mount",
    "Mountable",
    "MysqlDatabase",
    "Namespace",
    "NfsVolume",
    "Pdb",
    "PostgresDatabase",
    "Probe",
    "RawFile",
    "RawManifests",
    "RenderedChart",
    "Rule",
    "SecretKey",
    "SecretSync",
    "SecretVolume",
    "Security",
    "ServiceAccount",
    "Step",
    "WildcardTls",
    "Workload",
    "WorkloadKind",
    "anubis",
    "auth",
    "block_volume",
    "config_files",
    "config_map",
    "cronjob",
    "daemonset",
    "deployment",
    "empty_dir",
    "external_secret",
    "helm_release",
    "http_probe",
    "ingress",
    "is_cluster_scoped",
    "job",
    "load_balancer",
    "mount",
    "mysql_database",
    "namespace",
    "nfs_volume",
    "postgres_database",
    "raw",
    "rule",
    "secret_files",
    "service_account",
    "statefulset",
    "tcp_probe",
    "tls",
    "vault_secret",
]

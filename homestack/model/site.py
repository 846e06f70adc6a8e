"""The Site: the whole estate one homelab repository describes (``site.py``).

Pure data with validation; every cross-field rule that needs more than one object (duplicate VM
ids, overlapping CIDRs) is a policy rule, so that findings name the fix instead of failing load.
"""

from __future__ import annotations

import enum
import ipaddress
from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from homestack.model.capability import Platform
from homestack.model.chart_settings import ChartSettings
from homestack.model.dns_settings import DnsSettings
from homestack.model.fieldtypes import (
    Branch,
    DnsLabel,
    DnsSubdomain,
    HostName,
    HostOrAddress,
    Interface,
    IpAddress,
    LabelMap,
    Memory,
    PveStorage,
    TaintKey,
)
from homestack.model.kube_access import KubeAccess
from homestack.model.modelconfig import FROZEN
from homestack.model.pve_settings import Proxmox
from homestack.model.state_settings import StateSettings
from homestack.model.tier import DEFAULT_TIERS, NamespaceTier, Quota, TierSpec
from homestack.model.vault_settings import VaultSettings


class Gpu(BaseModel):
    """A GPU in the PVE host, passed through to one VM."""

    model_config = FROZEN
    model: str
    pci: str
    memory: Memory


class PveHost(BaseModel):
    """A Proxmox VE host; it also serves NFS in the reference homelab."""

    model_config = FROZEN
    name: HostName
    model: str = ""
    cores: int = Field(gt=0)
    threads: int = Field(gt=0)
    memory: Memory
    address: HostOrAddress
    disks: tuple[str, ...] = ()
    gpus: tuple[Gpu, ...] = ()


class Nic(BaseModel):
    """A VM network card: bridge, optional VLAN tag, optional static IP (CIDR form), optional
    fixed MAC address (PVE makes one up otherwise)."""

    model_config = FROZEN
    bridge: Interface
    vlan: int | None = Field(default=None, ge=1, le=4094)
    ip: str | None = None
    mac: str | None = Field(default=None, pattern=r"^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$")
    model: str = "virtio"

    @field_validator("ip")
    @classmethod
    def _interface(cls, value: str | None) -> str | None:
        if value is not None:
            ipaddress.ip_interface(value)
        return value


class Disk(BaseModel):
    """A VM disk on a PVE storage."""

    model_config = FROZEN
    storage: PveStorage
    size: Memory
    ssd: bool = False
    discard: bool = False


class Taint(BaseModel):
    """A Kubernetes node taint."""

    model_config = FROZEN
    key: TaintKey
    value: str = Field(default="", max_length=63)
    effect: Literal["NoSchedule", "PreferNoSchedule", "NoExecute"] = "NoSchedule"


class NodeRole(enum.Enum):
    """Role of a VM in the Kubernetes cluster."""

    CONTROL_PLANE = "control-plane"
    WORKER = "worker"


class K8sNode(BaseModel):
    """The Kubernetes side of a VM that is a cluster node."""

    model_config = FROZEN
    role: NodeRole = NodeRole.WORKER
    labels: LabelMap = Field(default_factory=dict)
    taints: tuple[Taint, ...] = ()


class Vm(BaseModel):
    """A virtual machine on the PVE host.

    ``balloon`` is the minimum memory the balloon driver may shrink it to (None: no
    ballooning); ``boot`` the boot order (default: first disk, then the first NIC);
    ``hotplug`` what a running VM takes at once (PVE's setting: other changes wait for a
    reboot); ``clone`` False creates the VM empty instead of cloning the Site's template.
    """

    model_config = FROZEN
    id: int = Field(ge=100, le=999_999_999)
    name: HostName
    cores: int = Field(gt=0)
    memory: Memory
    disks: tuple[Disk, ...] = ()
    nics: tuple[Nic, ...] = ()
    pci_passthrough: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    k8s: K8sNode | None = None
    sockets: int = Field(default=1, ge=1, le=4)
    balloon: str | None = None
    onboot: bool = True
    boot: tuple[str, ...] = ()
    description: str = ""
    hotplug: tuple[str, ...] = ("network", "disk", "usb")
    clone: bool = True

    @property
    def ip(self) -> str | None:
        """The first static IP address of the VM, without prefix length."""
        for nic in self.nics:
            if nic.ip:
                return str(ipaddress.ip_interface(nic.ip).ip)
        return None


class Network(BaseModel):
    """A network or VLAN of the Site."""

    model_config = FROZEN
    name: DnsLabel
    cidr: str
    vlan: int | None = Field(default=None, ge=1, le=4094)
    gateway: IpAddress | None = None
    bridge: Interface | None = None

    @field_validator("cidr")
    @classmethod
    def _cidr(cls, value: str) -> str:
        ipaddress.ip_network(value)
        return value

    @model_validator(mode="after")
    def _gateway_inside(self) -> Network:
        if self.gateway and ipaddress.ip_address(self.gateway) not in ipaddress.ip_network(
            self.cidr
        ):
            raise ValueError(f"gateway {self.gateway} is outside {self.cidr}")
        return self


def _ip_int(text: str) -> int:
    return int(ipaddress.ip_address(text))


class Domains(BaseModel):
    """The public domain (behind the tunnel / public DNS) and the internal one (LAN DNS)."""

    model_config = FROZEN
    public: DnsSubdomain
    internal: DnsSubdomain


class LbPool(BaseModel):
    """MetalLB address pool: a range, the shared IP (ETP Cluster) and dedicated IPs by name."""

    model_config = FROZEN
    first: IpAddress
    last: IpAddress
    shared_ip: IpAddress
    dedicated: dict[str, IpAddress] = Field(default_factory=dict)

    def contains(self, ip: str) -> bool:
        """True when ``ip`` lies inside the pool's range."""
        return _ip_int(self.first) <= _ip_int(ip) <= _ip_int(self.last)

    @model_validator(mode="after")
    def _ordered(self) -> LbPool:
        if _ip_int(self.first) > _ip_int(self.last):
            raise ValueError(f"pool range {self.first}-{self.last} is reversed")
        return self


class StorageClass(BaseModel):
    """A StorageClass and what it promises."""

    model_config = FROZEN
    name: DnsSubdomain
    sensitive: bool = False
    rwx: bool = False
    backed_up: bool = False
    block: bool = False
    implicit_default: bool = False


class Nfs(BaseModel):
    """The NFS server that static PVs and backups use."""

    model_config = FROZEN
    server: HostOrAddress
    backup_root: str = "/mnt/main"
    mount_options: tuple[str, ...] = ("nfsvers=4", "soft", "timeo=30", "retrans=3", "actimeo=5")
    driver: str = "nfs.csi.k8s.io"


class Role(enum.Enum):
    """What a person may do in the homelab."""

    ADMIN = "admin"
    POWER_USER = "power-user"
    NAMESPACE_OWNER = "namespace-owner"


DEFAULT_USER_QUOTA = Quota(requests_cpu="2", requests_memory="4Gi", limits_memory="8Gi", pods=20)


class User(BaseModel):
    """One person of the identity roster."""

    model_config = FROZEN
    name: DnsLabel
    role: Role
    email: str
    namespaces: tuple[DnsLabel, ...] = ()
    domains: tuple[str, ...] = ()
    quota: Quota = DEFAULT_USER_QUOTA


class Group(BaseModel):
    """An identity-provider group; ingress ``allowed_groups`` name these."""

    model_config = FROZEN
    name: str
    members: tuple[str, ...] = ()


class Identity(BaseModel):
    """The roster: users and groups. ``admin_group`` is always allowed through forward-auth.

    ``departed`` names people who left: their identity-provider accounts are deleted (a user
    who merely leaves ``users`` keeps an account nobody manages any more).
    """

    model_config = FROZEN
    users: tuple[User, ...] = ()
    groups: tuple[Group, ...] = ()
    admin_group: str = "admins"
    departed: tuple[DnsLabel, ...] = ()

    def group_names(self) -> set[str]:
        """Every group name, the admin group included."""
        return {group.name for group in self.groups} | {self.admin_group}


class GitopsFlavour(enum.Enum):
    """Which GitOps controller consumes the rendered repository."""

    FLUX = "flux"
    ARGOCD = "argocd"


class Cluster(BaseModel):
    """How to reach the Kubernetes API (``kube`` target). None on the Site means gitops."""

    model_config = FROZEN
    context: str | None = None
    kubeconfig: str | None = None


class Gitops(BaseModel):
    """Where the GitOps target writes (a path in the homelab repo or an absolute path)."""

    model_config = FROZEN
    path: str = ".homestack/gitops"
    flavour: GitopsFlavour = GitopsFlavour.FLUX
    remote: str | None = None
    branch: Branch = "main"


class Edge(BaseModel):
    """Public edge facts: tunnel target for the apex, public IP, LAN CIDRs, Traefik's LB IP."""

    model_config = FROZEN
    tunnel_target: str = ""
    public_ip: str = ""
    lan_cidrs: tuple[str, ...] = ()
    ingress_ip: str = ""


class Site(BaseModel):
    """The estate: hosts, VMs, networks, domains, LB pool, storage, tiers, roster, state."""

    model_config = FROZEN
    name: DnsLabel
    hosts: tuple[PveHost, ...] = ()
    vms: tuple[Vm, ...] = ()
    networks: tuple[Network, ...] = ()
    domains: Domains
    lb_pool: LbPool | None = None
    storage_classes: tuple[StorageClass, ...] = ()
    nfs: Nfs | None = None
    tiers: tuple[TierSpec, ...] = DEFAULT_TIERS
    identity: Identity = Identity()
    state: StateSettings = StateSettings()
    cluster: Cluster | None = None
    proxmox: Proxmox | None = None
    gitops: Gitops = Gitops()
    edge: Edge = Edge()
    dns: DnsSettings | None = None
    vault: VaultSettings | None = None
    trusted_registries: tuple[str, ...] = ()
    exempt_namespaces: tuple[str, ...] = ()
    critical_services: tuple[str, ...] = ()
    charts: ChartSettings | None = None
    platform: Platform = Platform()  # capabilities the cluster has without a Stack for them
    kube_access: KubeAccess | None = None  # people's kubeconfigs: API server and OIDC client

    def tier(self, tier: NamespaceTier) -> TierSpec:
        """The governance numbers of ``tier``."""
        for spec in self.tiers:
            if spec.tier is tier:
                return spec
        raise KeyError(tier)

    def storage_class(self, name: str) -> StorageClass | None:
        """The StorageClass called ``name``, if the Site declares it."""
        return next((sc for sc in self.storage_classes if sc.name == name), None)

    def gpu_nodes(self) -> tuple[Vm, ...]:
        """VMs that are cluster nodes with GPU passthrough."""
        return tuple(vm for vm in self.vms if vm.k8s is not None and vm.pci_passthrough)

    def user(self, name: str) -> User | None:
        """The roster entry called ``name``."""
        return next((user for user in self.identity.users if user.name == name), None)

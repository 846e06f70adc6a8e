"""The reference homelab: one Dell R730 running Proxmox, a five-node Kubernetes cluster on VLAN 20.

The estate the Stacks under ``stacks/`` run on: the PVE host (also the NFS server), the VM
inventory with the GPU worker, the three networks pfSense routes between, the MetalLB pool,
the StorageClasses, the identity roster and where state lives. Public names use example.org,
internal ones home.arpa; the private IP plan is the real one.
"""

from homestack import (
    Disk,
    Domains,
    Edge,
    Gpu,
    Group,
    Identity,
    K8sNode,
    KubeAccess,
    LbPool,
    Network,
    Nfs,
    Nic,
    NodeRole,
    PveHost,
    Quota,
    Role,
    Site,
    StateSettings,
    StorageClass,
    Taint,
    User,
    Vm,
)

GPU_PCI = "0000:06:00.0"


def k8s_vm(vm_id: int, name: str, cores: int, ip: str, k8s: K8sNode, *,
           pci: tuple[str, ...] = ()) -> Vm:
    """A cluster node VM on VLAN 20 with the node template's disk layout."""
    return Vm(
        id=vm_id, name=name, cores=cores, memory="32Gi",
        disks=(Disk(storage="local-lvm", size="128Gi"),),
        nics=(Nic(bridge="vmbr1", vlan=20, ip=f"{ip}/24"),),
        pci_passthrough=pci, tags=("k8s",), k8s=k8s,
    )


WORKER = K8sNode(role=NodeRole.WORKER)
GPU_WORKER = K8sNode(
    role=NodeRole.WORKER,
    labels={"gpu": "true"},
    taints=(Taint(key="nvidia.com/gpu", value="true", effect="NoSchedule"),),
)

site = Site(
    name="reference",
    hosts=(
        PveHost(
            name="pve", model="Dell PowerEdge R730 (Xeon E5-2699 v4)", cores=22, threads=44,
            memory="160Gi", address="192.168.1.127",
            disks=("1.1TB SSD (VM thin pool)", "931GB SSD (backup disk)", "10.7TB HDD (NFS)"),
            gpus=(Gpu(model="NVIDIA Tesla T4", pci=GPU_PCI, memory="16Gi"),),
        ),
    ),
    networks=(
        Network(name="physical", cidr="192.168.1.0/24", gateway="192.168.1.1", bridge="vmbr0"),
        Network(name="management", cidr="10.0.10.0/24", vlan=10, gateway="10.0.10.1",
                bridge="vmbr1"),
        Network(name="kubernetes", cidr="10.0.20.0/24", vlan=20, gateway="10.0.20.1",
                bridge="vmbr1"),
    ),
    vms=(
        Vm(id=101, name="pfsense", cores=8, memory="16Gi",
           disks=(Disk(storage="local-lvm", size="32Gi"),),
           nics=(Nic(bridge="vmbr0", ip="192.168.1.1/24"),
                 Nic(bridge="vmbr1", vlan=10, ip="10.0.10.1/24"),
                 Nic(bridge="vmbr1", vlan=20, ip="10.0.20.1/24")),
           tags=("network",)),
        Vm(id=102, name="devvm", cores=16, memory="8Gi",
           disks=(Disk(storage="local-lvm", size="256Gi"),),
           nics=(Nic(bridge="vmbr1", vlan=10, ip="10.0.10.10/24"),), tags=("dev",)),
        Vm(id=103, name="home-assistant", cores=8, memory="8Gi",
           disks=(Disk(storage="local-lvm", size="64Gi"),),
           nics=(Nic(bridge="vmbr0", ip="192.168.1.20/24"),), tags=("home",)),
        k8s_vm(200, "k8s-master", 8, "10.0.20.100", K8sNode(role=NodeRole.CONTROL_PLANE)),
        k8s_vm(201, "k8s-node1", 16, "10.0.20.101", GPU_WORKER, pci=(GPU_PCI,)),
        k8s_vm(202, "k8s-node2", 8, "10.0.20.102", WORKER),
        k8s_vm(203, "k8s-node3", 8, "10.0.20.103", WORKER),
        k8s_vm(204, "k8s-node4", 8, "10.0.20.104", WORKER),
        Vm(id=220, name="docker-registry", cores=4, memory="4Gi",
           disks=(Disk(storage="local-lvm", size="256Gi"),),
           nics=(Nic(bridge="vmbr1", vlan=20, ip="10.0.20.10/24"),), tags=("registry",)),
    ),
    domains=Domains(public="example.org", internal="home.arpa"),
    lb_pool=LbPool(
        first="10.0.20.200", last="10.0.20.220", shared_ip="10.0.20.200",
        dedicated={
            "technitium": "10.0.20.201",
            "mailserver": "10.0.20.202",
            "traefik": "10.0.20.203",
            "headscale": "10.0.20.204",
        },
    ),
    storage_classes=(
        StorageClass(name="proxmox-lvm-encrypted", sensitive=True, block=True, backed_up=True),
        StorageClass(name="proxmox-lvm", block=True, backed_up=True),
        StorageClass(name="nfs-truenas", rwx=True, backed_up=True),
        StorageClass(name="local-path", implicit_default=True),
    ),
    nfs=Nfs(server="192.168.1.127", backup_root="/srv/nfs/backup"),
    identity=Identity(
        users=(
            User(name="alex", role=Role.ADMIN, email="alex@example.org"),
            User(name="sam", role=Role.POWER_USER, email="sam@example.org"),
            User(name="robin", role=Role.NAMESPACE_OWNER, email="robin@example.org",
                 namespaces=("robin",), domains=("robin.example.org",)),
            User(name="kim", role=Role.NAMESPACE_OWNER, email="kim@example.org",
                 namespaces=("kim",), domains=("kim.example.org",),
                 quota=Quota(requests_cpu="1", requests_memory="2Gi", limits_memory="4Gi",
                             pods=10)),
        ),
        groups=(
            Group(name="admins", members=("alex",)),
            Group(name="power-users", members=("alex", "sam")),
            Group(name="family", members=("alex", "sam", "robin", "kim")),
            Group(name="developers", members=("alex", "sam", "robin")),
            Group(name="media", members=("alex", "sam", "kim")),
        ),
        admin_group="admins",
    ),
    state=StateSettings(
        bootstrap_stacks=("infra", "platform", "cnpg", "vault", "dbaas", "external-secrets"),
        bootstrap_dir="state",
        age_recipients=("age1c6dcfjvd7k4jgxujtftc4nxtaxs09juvrnjq8k5jvjagggs47cqqpxd58a",),
    ),
    cluster=None,
    # People's kubeconfigs (`homestack kubeconfig USER`): OIDC through Authentik, no tokens.
    kube_access=KubeAccess(
        api_server="https://10.0.20.100:6443",
        oidc_issuer_url="https://auth.example.org/application/o/kubernetes/",
        oidc_client_id="kubernetes",
    ),
    edge=Edge(
        tunnel_target="homelab.cfargotunnel.com",
        public_ip="203.0.113.10",
        lan_cidrs=("192.168.1.0/24", "10.0.10.0/24", "10.0.20.0/24"),
        ingress_ip="10.0.20.203",
    ),
    trusted_registries=(
        "docker.io", "ghcr.io", "quay.io", "registry.k8s.io", "nvcr.io", "codeberg.org",
        "lscr.io", "registry.home.arpa",
    ),
    exempt_namespaces=(
        "kube-system", "metallb-system", "calico-system", "nvidia", "monitoring", "nfs-csi",
        "proxmox-csi", "crowdsec", "tigera-operator",
    ),
    critical_services=(
        "traefik/traefik", "authentik/server", "crowdsec/lapi", "dbaas/pgbouncer",
        "cloudflared/cloudflared",
    ),
)

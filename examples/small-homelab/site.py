"""A small homelab: one PVE host, three VMs, two Kubernetes nodes, four Stacks."""

from homestack import (
    Disk,
    Domains,
    Group,
    Identity,
    K8sNode,
    LbPool,
    Network,
    Nfs,
    Nic,
    NodeRole,
    PveHost,
    Role,
    Site,
    StorageClass,
    User,
    Vm,
)

site = Site(
    name="small",
    hosts=(PveHost(name="pve", cores=8, threads=16, memory="64Gi", address="192.168.1.10"),),
    networks=(
        Network(name="lan", cidr="192.168.1.0/24", gateway="192.168.1.1", bridge="vmbr0"),
        Network(name="k8s", cidr="10.0.20.0/24", vlan=20, gateway="10.0.20.1", bridge="vmbr1"),
    ),
    vms=(
        Vm(id=200, name="k8s-master", cores=4, memory="8Gi",
           disks=(Disk(storage="local-lvm", size="64Gi"),),
           nics=(Nic(bridge="vmbr1", vlan=20, ip="10.0.20.100/24"),),
           k8s=K8sNode(role=NodeRole.CONTROL_PLANE)),
        Vm(id=201, name="k8s-node1", cores=4, memory="16Gi",
           disks=(Disk(storage="local-lvm", size="128Gi"),),
           nics=(Nic(bridge="vmbr1", vlan=20, ip="10.0.20.101/24"),),
           k8s=K8sNode()),
    ),
    domains=Domains(public="example.org", internal="home.arpa"),
    lb_pool=LbPool(first="10.0.20.200", last="10.0.20.210", shared_ip="10.0.20.200",
                   dedicated={"traefik": "10.0.20.203"}),
    storage_classes=(
        StorageClass(name="proxmox-lvm-encrypted", sensitive=True, block=True, backed_up=True),
        StorageClass(name="proxmox-lvm", block=True, backed_up=True),
        StorageClass(name="nfs-truenas", rwx=True, backed_up=True),
    ),
    nfs=Nfs(server="192.168.1.10"),
    identity=Identity(
        users=(User(name="alice", role=Role.ADMIN, email="alice@example.org"),),
        groups=(Group(name="admins", members=("alice",)),),
    ),
    trusted_registries=("docker.io", "ghcr.io", "registry.k8s.io"),
)

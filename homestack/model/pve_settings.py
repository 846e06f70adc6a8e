"""How the Site reaches Proxmox VE and how its VMs become Kubernetes nodes (``Site.proxmox``).

Secrets are environment variable NAMES, never values: the API token and the kubeadm bootstrap
token are read from the environment when the ``pve`` target opens and when it writes a node's
cloud-init snippet, and reach neither state nor plans.
"""

from __future__ import annotations

import enum

from pydantic import BaseModel, Field

from homestack.model.modelconfig import FROZEN


class CloudInit(BaseModel):
    """Cloud-init defaults every cloned VM gets: login user, SSH keys, DNS."""

    model_config = FROZEN
    user: str = "homestack"
    ssh_keys: tuple[str, ...] = ()
    nameservers: tuple[str, ...] = ()
    search_domain: str = ""


class JoinMethod(enum.Enum):
    """How a VM becomes a member of the Kubernetes cluster."""

    KUBEADM = "kubeadm"
    TALOS = "talos"


class NodeJoin(BaseModel):
    """How cluster nodes join.

    ``kubeadm``: each node VM gets a cloud-init user-data snippet that writes a kubeadm
    ``InitConfiguration`` (the first control-plane VM) or ``JoinConfiguration`` (every other
    node, with its labels and taints) and runs ``kubeadm init|join``; the bootstrap token and
    the CA certificate hash come from the environment variables named here.
    ``talos``: the ``pve`` target writes one Talos machine-configuration patch per node under
    ``talos_dir`` with instructions for ``talosctl`` (Homestack does not run it).
    """

    model_config = FROZEN
    method: JoinMethod = JoinMethod.KUBEADM
    endpoint: str
    kubernetes_version: str = "v1.34.0"
    pod_subnet: str = "192.168.0.0/16"
    token_env: str = "HOMESTACK_KUBEADM_TOKEN"
    ca_hash_env: str = "HOMESTACK_KUBEADM_CA_HASH"
    talos_dir: str = ".homestack/talos"
    talos_install_disk: str = "/dev/sda"


class Proxmox(BaseModel):
    """The PVE API the ``pve`` target talks to, and the defaults of the VMs it makes.

    ``token_id_env`` names the variable holding ``user@realm!tokenid``, ``token_secret_env``
    the one holding the token's secret. ``template`` is the vmid of the cloud-init template
    VMs are cloned from (None: create empty VMs). ``snippets_dir`` is where the
    ``snippets_storage`` storage's ``snippets/`` folder is mounted on the machine running
    Homestack (PVE's API cannot upload snippets). ``task_timeout`` bounds every PVE task.
    """

    model_config = FROZEN
    url: str
    node: str = "pve"
    token_id_env: str = "PVE_TOKEN_ID"
    token_secret_env: str = "PVE_TOKEN_SECRET"
    verify_tls: bool = True
    ca_file: str | None = None
    template: int | None = Field(default=None, ge=100, le=999_999_999)
    snippets_storage: str = "local"
    snippets_dir: str | None = None
    cloud_init: CloudInit = CloudInit()
    join: NodeJoin | None = None
    task_timeout: float = Field(default=600.0, gt=0)

"""How the Site reaches Proxmox VE and how its VMs become Kubernetes nodes (``Site.proxmox``).

Secrets are environment variable NAMES, never values: the API token and the kubeadm bootstrap
token are read from the environment when the ``pve`` target opens and when it writes a node's
cloud-init snippet, and reach neither state nor plans.
"""

from __future__ import annotations

import enum
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

from homestack.model.fieldtypes import HostName, IpAddress
from homestack.model.modelconfig import FROZEN

_API_URL = re.compile(r"https://(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])"
                      r"(?::(?P<port>[0-9]{1,5}))?/?")
_LOGIN = re.compile(r"[a-z_][a-z0-9_-]{0,31}")
_SSH_KEY = re.compile(r"^(ssh-[a-z0-9-]+|ecdsa-[a-z0-9-]+|sk-[a-z0-9@.-]+) [A-Za-z0-9+/=]+"
                      r"( [^\n\r]*)?$")


def _api_url(value: str) -> str:
    found = _API_URL.fullmatch(value)
    if found is None or int(found.group("port") or 443) > 65535:
        raise ValueError("must be https://<host>[:<port>] (credentials go in the token "
                         "variables, never the URL)")
    return value


def _login(value: str) -> str:
    if not _LOGIN.fullmatch(value):
        raise ValueError("must be a login name: lowercase letters, digits, '_' and '-', "
                         "at most 32 characters")
    return value


def _ssh_key(value: str) -> str:
    # Each key is one line of authorized_keys: a line break would add a line of its own.
    if not _SSH_KEY.fullmatch(value):
        raise ValueError("must be one line: '<type> <base64 key> [comment]'")
    return value


class CloudInit(BaseModel):
    """Cloud-init defaults every cloned VM gets: login user, SSH keys, DNS.

    Every field is one line of the user-data it is written into, so each is checked for its
    form: a login name, ``<type> <key> [comment]`` keys, IP addresses, a DNS name.
    """

    model_config = FROZEN
    user: Annotated[str, AfterValidator(_login)] = "homestack"
    ssh_keys: tuple[Annotated[str, AfterValidator(_ssh_key)], ...] = ()
    nameservers: tuple[IpAddress, ...] = ()
    search_domain: HostName | Literal[""] = ""


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
    url: Annotated[str, AfterValidator(_api_url)]
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

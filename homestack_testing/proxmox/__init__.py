"""A loopback fake of the Proxmox VE API (``/api2/json``) for the ``pve`` provider's tests.

It behaves like PVE where the provider can tell: API-token auth (401 otherwise), asynchronous
tasks with UPIDs, VM locks while a create/clone/destroy task runs ("VM is locked (clone)"),
vmid range and uniqueness, parameter errors as 400 ``{"data": null, "errors": {param: msg}}``,
pending config for running VMs (keys the VM's ``hotplug`` does not cover wait for a reboot),
disks that only grow, and injected task faults (fail halfway, never end). It does not import
homestack.
"""

from .errors import PveError
from .server import FakePve, make_certificate, require_openssl
from .store import PveStore, Vm
from .tasks import TaskFaults

__all__ = ["FakePve", "PveError", "PveStore", "TaskFaults", "Vm", "make_certificate",
           "require_openssl"]

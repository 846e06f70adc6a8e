"""Agent conductor: the web edge for the agent daemon that runs on the dev VM, not in the cluster.

The cluster only routes: two selector-less Services whose EndpointSlices point at the dev VM
(the WebSocket demuxer and the static web app), behind forward-auth for the admins.
"""

from homestack import Stack
from homestack.kit import Catalog, auth, ingress, raw, stack_ref

stack = Stack("ac", needs=["traefik", "authentik"],
              description="Web edge for the agent conductor on the dev VM")
DEV_VM = "10.0.10.10"
APP = {"demux": 7690, "static": 7691}


def dev_vm_service(part: str, port: int) -> list[dict[str, object]]:
    """A Service without selector on port 80 and the EndpointSlice that points it at the VM."""
    name = f"ac-{part}"
    return [
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
         "spec": {"ports": [{"name": "http", "port": 80, "targetPort": port}]}},
        {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
         "metadata": {"name": name, "labels": {"kubernetes.io/service-name": name}},
         "addressType": "IPv4", "endpoints": [{"addresses": [DEV_VM]}],
         "ports": [{"name": "http", "port": port, "protocol": "TCP"}]},
    ]


raw(stack, [obj for part, port in APP.items() for obj in dev_vm_service(part, port)],
    name="dev-vm")
AC = stack_ref("ac")
ingress(stack, AC.service("ac-static", port=80), name="ac", host="ac",
        auth=auth.required(groups=["admins"]), dns="proxied",
        catalog=Catalog(name="Agent conductor", group="Development",
                        description="Agent sessions running on the dev VM"))
ingress(stack, AC.service("ac-demux", port=80), name="ac-ws", host="ac", paths=["/ws"],
        auth=auth.required(groups=["admins"]), dns="none", catalog=Catalog(hidden=True))

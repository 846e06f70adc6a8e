"""T3 Code: the coding-agent UI that runs on the dev VM, routed through the cluster.

A selector-less Service points at the dev VM; forward-auth narrows it to the admins. A small
probe in the cluster checks the WebSocket path end to end; its echo path is carved out.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    config_files,
    deployment,
    ingress,
    raw,
    stack_ref,
)

stack = Stack("t3code", tier=tier.AUX, needs=["traefik", "authentik"],
              description="Coding-agent UI on the dev VM")
DEV_VM = "10.0.10.10"
raw(stack, [
    {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "t3code"},
     "spec": {"ports": [{"name": "http", "port": 80, "targetPort": 3773}]}},
    {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
     "metadata": {"name": "t3code", "labels": {"kubernetes.io/service-name": "t3code"}},
     "addressType": "IPv4", "endpoints": [{"addresses": [DEV_VM]}],
     "ports": [{"name": "http", "port": 3773, "protocol": "TCP"}]},
], name="dev-vm")
T3 = stack_ref("t3code").service("t3code", port=80)
ingress(stack, T3, name="t3", host="t3", dns="proxied", auth=auth.required(groups=["admins"]),
        carve_outs={"/probe": auth.none("WebSocket echo for the path probe; no user data")},
        catalog=Catalog(name="T3 Code", group="Development",
                        description="Coding agents on the dev VM"))
probe_code = config_files(stack, "t3-probe", {
    "probe.py": "# Opens wss://t3.example.org/probe every minute; exports the result on :9108.\n"})
deployment(stack, "t3-probe", image="docker.io/library/python:3.12.8-alpine", memory="32Mi",
           cpu="5m", ports={"metrics": 9108}, command=["python", "/app/probe.py"],
           mounts={"/app": probe_code})

"""NodeLocal DNSCache: a DNS cache on every node at a link-local address, in front of CoreDNS.

Pods resolve through the node's cache (fewer conntrack races, faster lookups); cache misses for
the internal domain go to Technitium. It runs on the host network in kube-system, which
is exempt from tier governance (the seeds labelled it 0-core; priority comes from the
DaemonSet being system-critical there).
"""

from homestack import Stack
from homestack.kit import Security, config_map, daemonset, raw

stack = Stack("nodelocal-dns", namespace="kube-system", needs=["technitium"],
              description="Per-node DNS cache")
LINK_LOCAL = "169.254.20.10"
COREFILE = f"""home.arpa:53 {{
    errors
    cache 30
    bind {LINK_LOCAL}
    forward . 10.0.20.201
}}
.:53 {{
    errors
    cache 30
    bind {LINK_LOCAL}
    forward . __PILLAR__CLUSTER__DNS__ {{
        force_tcp
    }}
    prometheus :9253
}}
"""
raw(stack, [
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "node-local-dns"},
     "data": {"Corefile": COREFILE}},
    {"apiVersion": "v1", "kind": "Service",
     "metadata": {"name": "kube-dns-upstream", "labels": {"k8s-app": "kube-dns"}},
     "spec": {"selector": {"k8s-app": "kube-dns"},
              "ports": [{"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                        {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53}]}},
], name="config")
daemonset(
    stack, "node-local-dns", image="registry.k8s.io/dns/k8s-dns-node-cache:1.23.1",
    memory="64Mi", cpu="25m", ports={"dns": "53/udp", "dns-tcp": 53, "metrics": 9253},
    args=["-localip", LINK_LOCAL, "-conf", "/etc/coredns/Corefile", "-upstreamsvc",
          "kube-dns-upstream"],
    mounts={"/etc/coredns": config_map("node-local-dns")},
    security=Security(host_network=True, capabilities=("NET_ADMIN",)),
)

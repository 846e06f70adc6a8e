"""Calico: the CNI and NetworkPolicy engine, installed and configured through the Tigera operator.

Settings the homelab relies on: VXLAN-in-CIDR encapsulation on 10.0.20.0/24, pod CIDR
172.16.0.0/16, flow logs on (they feed the observe-then-enforce egress lockdown).
"""

from homestack import Stack, tier
from homestack.kit import helm_release, namespace, raw

stack = Stack("calico", namespace="tigera-operator", tier=tier.CLUSTER, needs=["platform"],
              description="CNI, NetworkPolicy engine and flow logs")
namespace(stack)
helm_release(stack, "calico", chart="tigera-operator", repo="https://docs.tigera.io/calico/charts",
             version="v3.30.2")
raw(stack, "installation.yaml")

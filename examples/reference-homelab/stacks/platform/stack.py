"""Cluster-wide settings every other Stack relies on: StorageClasses, the ingress class, and
the facts tools in the cluster read (domains, LB IPs). Owns the tier PriorityClasses."""

from homestack import Stack, StateTier, tier
from homestack.kit import namespace, raw

stack = Stack("platform", tier=tier.CLUSTER, needs=["infra"], state_tier=StateTier.BOOTSTRAP,
              description="StorageClasses, ingress class and cluster-wide settings")
namespace(stack)
raw(stack, "storage-classes.yaml")
raw(stack, {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": {"name": "homelab-settings"},
    "data": {
        "public-domain": "example.org",
        "internal-domain": "home.arpa",
        "shared-lb-ip": "10.0.20.200",
        "ingress-lb-ip": "10.0.20.203",
        "nfs-server": "192.168.1.127",
    },
})
raw(stack, {
    "apiVersion": "networking.k8s.io/v1",
    "kind": "IngressClass",
    "metadata": {"name": "traefik",
                 "annotations": {"ingressclass.kubernetes.io/is-default-class": "true"}},
    "spec": {"controller": "traefik.io/ingress-controller"},
})

"""Cluster-wide basics every other Stack relies on."""

from homestack import Stack, tier
from homestack.kit import namespace, raw

stack = Stack("platform", tier=tier.CLUSTER, description="Namespaces and shared settings")
namespace(stack)
raw(stack, "settings.yaml")

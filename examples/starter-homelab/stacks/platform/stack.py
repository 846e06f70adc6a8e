"""The platform: cluster-wide settings every other Stack relies on.

It owns the PriorityClasses of the namespace tiers, so every Stack is applied after it and a
Stack added later never takes them over.
"""

from homestack import Stack, tier
from homestack.kit import namespace

stack = Stack("platform", tier=tier.CLUSTER, description="Namespace tiers and shared settings")
namespace(stack)

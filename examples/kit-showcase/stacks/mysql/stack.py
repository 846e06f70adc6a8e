"""The shared MySQL server's namespace (the operator-managed server is out of this example)."""

from homestack import Stack, tier
from homestack.kit import namespace

stack = Stack("mysql", tier=tier.CLUSTER, description="Shared MySQL")
namespace(stack)

"""External Secrets Operator's namespace (the operator's chart is out of this example)."""

from homestack import Stack, StateTier, tier
from homestack.kit import namespace

stack = Stack("external-secrets", tier=tier.CLUSTER, state_tier=StateTier.BOOTSTRAP,
              description="Vault to Kubernetes Secrets")
namespace(stack)

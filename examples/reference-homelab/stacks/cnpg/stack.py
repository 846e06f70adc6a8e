"""The CloudNativePG operator. The shared Postgres cluster itself is the dbaas Stack's."""

from homestack import Stack, StateTier, tier
from homestack.kit import namespace, raw

stack = Stack("cnpg", namespace="cnpg-system", tier=tier.CLUSTER, needs=["platform"],
              state_tier=StateTier.BOOTSTRAP, description="CloudNativePG operator")
namespace(stack)
raw(stack, "operator.yaml")

"""The CloudNativePG operator. The shared Postgres cluster itself is the dbaas Stack's."""

from homestack import Stack, StateTier, tier
from homestack.kit import helm_release, namespace

stack = Stack("cnpg", namespace="cnpg-system", tier=tier.CLUSTER, needs=["platform"],
              state_tier=StateTier.BOOTSTRAP, description="CloudNativePG operator")
namespace(stack)
helm_release(stack, "cnpg", chart="cloudnative-pg", repo="https://cloudnative-pg.github.io/charts",
             version="0.23.0")

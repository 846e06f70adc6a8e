"""The shared database servers' namespace (the CNPG Cluster itself is out of this example)."""

from homestack import Stack, StateTier, tier
from homestack.kit import namespace

stack = Stack("dbaas", tier=tier.CLUSTER, state_tier=StateTier.BOOTSTRAP,
              description="Shared PostgreSQL")
namespace(stack)

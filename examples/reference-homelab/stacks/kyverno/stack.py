"""Kyverno: the in-cluster half of the homelab's conventions.

Homestack checks the conventions at plan time; `homestack policy export` writes the same rules
as ClusterPolicies, which this Kyverno enforces at admission for anything applied by other
means. Namespaces Homestack governs carry its managed-by label and are skipped by those
policies, so each generated field keeps one owner.
"""

from homestack import Stack, tier
from homestack.kit import helm_release, namespace

stack = Stack("kyverno", tier=tier.CLUSTER, needs=["platform"],
              description="Admission policies: the conventions enforced in the cluster")
namespace(stack)
helm_release(stack, "kyverno", chart="kyverno", repo="https://kyverno.github.io/kyverno/",
             version="3.3.4")

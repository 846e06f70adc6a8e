"""Namespaces: implied for the Stack that owns it (with a quota opt-out and its reason), none
for a Stack that deploys into another Stack's namespace."""

from homestack import Stack, tier
from homestack.kit import deployment, namespace

stack = Stack("runners", tier=tier.AUX)
deployment(stack, "runner", image="ghcr.io/acme/runner:5.0.0", memory="4Gi", cpu="2")
namespace(stack, labels={"team": "ci"}, no_quota="Build runners burst far above the tier quota")

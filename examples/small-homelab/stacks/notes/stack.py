"""Per-user note apps: one instance per person, declared with a plain function."""

from homestack import Stack, tier
from homestack.kit import namespace, raw

stack = Stack("notes", tier=tier.AUX, needs=["traefik"], description="Notes, one per user")
namespace(stack)


def instance(user: str) -> None:
    raw(stack, {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": f"notes-{user}"},
        "data": {"owner": user},
    })


for person in ("alice", "bob"):
    instance(person)

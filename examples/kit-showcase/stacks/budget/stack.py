"""One budget app per person, declared with a plain function."""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, block_volume, deployment, ingress

stack = Stack("budget", tier=tier.AUX, needs=["traefik"], description="Budgets, one per user")


def budget(person: str) -> None:
    """One instance: its own encrypted data, app and host, open to that person only."""
    data = block_volume(stack, f"data-{person}", size="1Gi", sqlite=True)
    app = deployment(stack, f"budget-{person}",
                     image="docker.io/actualbudget/actual-server:24.11.0", port=5006,
                     memory="128Mi", cpu="25m", mounts={"/data": data})
    ingress(stack, app, host=f"budget-{person}", auth=auth.required(groups=["family"]),
            catalog=Catalog(description=f"{person.title()}'s budget", group="Finance"))


for name in ("alice", "bob", "carol"):
    budget(name)

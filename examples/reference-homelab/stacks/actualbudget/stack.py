"""Actual Budget: one instance per person, each with its own encrypted volume and login.

Declared with a plain function: the people are data, the instance is the same shape.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    block_volume,
    cronjob,
    deployment,
    http_probe,
    ingress,
    stack_ref,
    vault_secret,
)

stack = Stack("actualbudget", tier=tier.EDGE, needs=["authentik"],
              description="Personal budgets, one per person")
BUDGET_ALEX = stack_ref("actualbudget").service("budget-alex", port=5006)
IMAGE = "docker.io/actualbudget/actual-server:24.12.0"
PEOPLE = ("alex", "sam", "robin")


def budget(person: str) -> None:
    """One person's Actual Budget: volume, server, ingress at budget-<person>."""
    data = block_volume(stack, f"data-{person}", size="1Gi", sqlite=True)
    server = deployment(
        stack, f"budget-{person}", image=IMAGE, memory="192Mi", cpu="25m", port=5006,
        env={"ACTUAL_LOGIN_METHOD": "password", "ACTUAL_UPLOAD_FILE_SIZE_LIMIT_MB": "50"},
        mounts={"/data": data}, probes=http_probe("/health"),
    )
    ingress(stack, server, host=f"budget-{person}",
            auth=auth.app("Actual Budget has its own password; the sync API needs it"),
            max_body_size="50Mi",
            catalog=Catalog(name=f"Budget ({person})", group="Finance", icon="actual-budget.png",
                            description=f"{person.title()}'s budget"))


for name in PEOPLE:
    budget(name)

cronjob(
    stack, "bank-sync", schedule="0 7 * * *", image="docker.io/library/node:22.12.0-alpine",
    memory="128Mi", cpu="50m", command=["/bin/sh", "-c"],
    args=["npx --yes @actual-app/api@24.12.0 bank-sync --all"],
    env={"ACTUAL_SERVER_URL": BUDGET_ALEX.url,
         "ACTUAL_PASSWORD": vault_secret(stack, "alex_password")},
)

"""Executor: the self-hosted runner the assistant hands long tasks to; reachable on the LAN only.

It has its own token login and an internal host; its state is on an encrypted block volume
(backed up nightly by the volume's own job).
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    block_volume,
    deployment,
    external_secret,
    http_probe,
    ingress,
)

stack = Stack("executor", tier=tier.AUX, needs=["platform", "vault"],
              description="Task runner for the assistant")
data = block_volume(stack, "data", size="5Gi", sqlite=True, backup_schedule="30 4 * * *")
secrets = external_secret(stack, "executor-secrets", {
    "EXECUTOR_AUTH_TOKEN": "secret/executor#auth_token",
    "EXECUTOR_ENCRYPTION_KEY": "secret/executor#encryption_key",
})
runner = deployment(
    stack, "executor", image="ghcr.io/rhyssullivan/executor-selfhost:v1.5.33", memory="512Mi",
    memory_request="256Mi", cpu="50m", port=4788, env_from=[secrets],
    mounts={"/data": data}, probes=http_probe("/health"),
)
ingress(stack, runner, host="executor.home.arpa", dns="internal",
        auth=auth.app("Executor checks a bearer token on every request"),
        catalog=Catalog(name="Executor", group="Development",
                        description="Long-running tasks for the assistant"))

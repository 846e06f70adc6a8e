"""CI pipeline health: a sweep over recent CI runs that files an issue when a pipeline rots.

The sweep is a shell script (a ConfigMap) run on the agent image, with the forge tokens
from Vault.
"""

from homestack import Stack, tier
from homestack.kit import config_files, cronjob, external_secret

stack = Stack("ci-pipeline-health", tier=tier.AUX, needs=["external-secrets", "woodpecker"],
              description="Nightly sweep of CI pipeline health")
creds = external_secret(stack, "ci-pipeline-health-creds", {
    "FORGEJO_TOKEN": "secret/ci-pipeline-health#forgejo_token",
    "WOODPECKER_TOKEN": "secret/ci-pipeline-health#woodpecker_token",
})
script = config_files(stack, "sweep-script", {
    "sweep.sh": "#!/bin/sh\n# Lists failed or stale pipelines of the last week and reports them.\n"
                "set -eu\nexec agent-cli sweep --since 7d --report issues\n",
})
cronjob(stack, "sweep", schedule="0 7 * * *",
        image="registry.home.arpa/homelab/claude-agent-service:0.12.0", memory="256Mi",
        cpu="50m", command=["/bin/sh", "/scripts/sweep.sh"], env_from=[creds],
        mounts={"/scripts": script})

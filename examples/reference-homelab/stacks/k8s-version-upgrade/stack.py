"""Kubernetes version upgrades: a nightly check for a new patch release and a morning report.

When a release is due, the check starts the upgrade Job from a template (drain, upgrade,
uncordon, node by node); the scripts and the template are ConfigMaps. Both CronJobs run the
agent image with the cluster rights an upgrade needs, given with a reason.
"""

from homestack import Stack, tier
from homestack.kit import (
    config_files,
    cronjob,
    external_secret,
    rule,
    service_account,
)

stack = Stack("k8s-version-upgrade", tier=tier.CLUSTER, needs=["external-secrets", "monitoring"],
              description="Nightly Kubernetes patch upgrades")
IMAGE = "registry.home.arpa/homelab/claude-agent-service:0.12.0"
creds = external_secret(stack, "k8s-upgrade-creds", {
    "SSH_PRIVATE_KEY": "secret/k8s-version-upgrade#ssh_key",
    "NTFY_TOKEN": "secret/k8s-version-upgrade#ntfy_token",
})
scripts = config_files(stack, "k8s-upgrade-scripts", {
    "upgrade.sh": "#!/bin/sh\n# preflight -> drain -> kubeadm upgrade -> uncordon, per node.\n",
    "report.sh": "#!/bin/sh\n# Summarises the night's upgrade phases for ntfy.\n",
})
template = config_files(stack, "k8s-upgrade-job-template", {
    "job.yaml": "apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: k8s-upgrade-\n",
})
upgrader = service_account(
    stack, "k8s-upgrade-job",
    rules=[rule(["batch"], ["jobs"], ["create", "get", "list", "delete"])],
    cluster_rules=[rule([""], ["nodes"], ["get", "list", "patch"]),
                   rule([""], ["pods"], ["get", "list"]),
                   rule([""], ["pods/eviction"], ["create"])],
    reason="Cordons, drains and uncordons nodes during an upgrade",
)
cronjob(stack, "version-check", schedule="0 2 * * *", image=IMAGE, memory="256Mi", cpu="50m",
        service_account=upgrader, command=["/bin/sh", "/scripts/upgrade.sh"],
        args=["--check"], env_from=[creds],
        mounts={"/scripts": scripts, "/template": template})
cronjob(stack, "nightly-report", schedule="0 7 * * *", image=IMAGE, memory="128Mi",
        cpu="20m", service_account=upgrader, command=["/bin/sh", "/scripts/report.sh"],
        env_from=[creds], mounts={"/scripts": scripts})

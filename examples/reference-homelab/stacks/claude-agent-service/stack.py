"""The agent service: runs coding-agent sessions on request from CI and chat, in the cluster.

A workspace on NFS keeps the checked-out repositories; a service account may exec into
pods for the agent's runbooks (read-mostly, with a reason). A CronJob clears old worktrees.
"""

from homestack import Stack, tier
from homestack.kit import (
    READ,
    cronjob,
    deployment,
    empty_dir,
    external_secret,
    http_probe,
    nfs_volume,
    rule,
    secret_files,
    service_account,
)

stack = Stack("claude-agent-service", tier=tier.AUX,
              needs=["platform", "vault", "external-secrets", "forgejo"],
              description="Coding-agent sessions on request")
IMAGE = "registry.home.arpa/homelab/claude-agent-service:0.12.0"
workspace = nfs_volume(stack, "workspace", export="/srv/nfs/claude-agent", size="50Gi")
secrets = external_secret(stack, "claude-agent-secrets", data_from=["secret/claude-agent"])
keys = external_secret(stack, "claude-agent-keys", {
    "age.key": "secret/claude-agent#sops_age_key",
    "git-crypt.key": "secret/claude-agent#git_crypt_key",
    "credentials.json": "secret/claude-agent#claude_credentials",
})
agent = service_account(
    stack, "claude-agent", rules=[rule([""], ["pods/exec"], ["create"])],
    cluster_rules=[rule(["", "apps"], ["pods", "deployments", "services"], READ)],
    reason="Runbooks read cluster state and exec into the agent's own pods",
)
deployment(
    stack, "claude-agent-service", image=IMAGE, memory="1536Mi", memory_request="768Mi",
    cpu="200m", port=8080, env_from=[secrets], service_account=agent,
    mounts={"/workspace": workspace, "/home/agent/.claude": empty_dir("claude-home"),
            "/keys": secret_files(keys.name)},
    probes=http_probe("/health"),
)
cronjob(stack, "prune-worktrees", schedule="0 3 * * *",
        image="docker.io/library/busybox:1.37.0", memory="32Mi", cpu="10m",
        command=["/bin/sh", "-c"],
        args=["find /workspace/worktrees -maxdepth 1 -mtime +7 -exec rm -rf {} +"],
        mounts={"/workspace": workspace})

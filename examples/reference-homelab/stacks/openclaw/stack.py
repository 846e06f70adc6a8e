"""OpenClaw: the personal assistant gateway, with its browser, tools and task webhook.

The gateway holds chat sessions and calls tools: a Playwright MCP browser, a metrics
exporter and a task webhook other Services post to. It may act on the whole cluster (a
cluster-admin binding with its reason) and on Home Assistant with a token from Vault (Home
Assistant is a VM here, not a namespace). Workspace and tools are on NFS; its home and the
second assistant (OpenLobster) keep state on block volumes. Two CronJobs process queued
tasks and sync memory.
"""

from homestack import Stack, tier
from homestack.kit import (
    READ,
    Catalog,
    auth,
    block_volume,
    config_files,
    cronjob,
    deployment,
    external_secret,
    http_probe,
    ingress,
    nfs_volume,
    rule,
    secret_files,
    service_account,
)

stack = Stack("openclaw", tier=tier.AUX, needs=["platform", "vault", "authentik"],
              description="Personal assistant gateway")
workspace = nfs_volume(stack, "workspace", export="/srv/nfs/openclaw/workspace", size="50Gi")
tools = nfs_volume(stack, "tools", export="/srv/nfs/openclaw/tools", size="10Gi")
home = block_volume(stack, "home", size="5Gi", sensitive=False)
secrets = external_secret(stack, "openclaw-env", data_from=["secret/openclaw"])
keys = external_secret(stack, "openclaw-keys", {
    "id_ed25519": "secret/openclaw#ssh_key", "git-crypt.key": "secret/openclaw#git_crypt_key",
    "ha-token": "secret/home-assistant#openclaw_token"})
config = config_files(stack, "openclaw-config", {
    "openclaw.json": '{"gateway": {"host": "gateway", "port": 18789}, '
                     '"tools": {"browser": "http://playwright-mcp:3000"}}'})
assistant = service_account(
    stack, "openclaw", cluster_rules=[rule(["*"], ["*"], ["*"])],
    reason="The assistant operates the cluster for its owner",
)
gateway = deployment(
    stack, "openclaw", image="ghcr.io/openclaw/openclaw:2026.2.26", memory="1Gi",
    memory_request="512Mi", cpu="100m", port=18789, env_from=[secrets],
    service_account=assistant,
    mounts={"/workspace": workspace, "/tools": tools, "/home/node": home,
            "/config": config, "/keys": secret_files(keys.name)},
    probes=http_probe("/healthz"),
)
ingress(stack, gateway, host="openclaw", dns="non-proxied", auth=auth.required(groups=["admins"]),
        catalog=Catalog(name="OpenClaw", group="Assistants", description="Assistant gateway"))
deployment(stack, "playwright-mcp", image="registry.home.arpa/homelab/playwright-mcp:1.0.0",
           memory="768Mi", memory_request="384Mi", cpu="50m", port=3000, backend_kind="api")
exporter_code = config_files(stack, "openclaw-exporter", {
    "exporter.py": "# Exposes session and tool-call counters for Prometheus on :9099.\n"})
deployment(stack, "openclaw-exporter", image="docker.io/library/python:3.12.8-slim",
           memory="64Mi", cpu="5m", port=9099, command=["python", "/app/exporter.py"],
           mounts={"/app": exporter_code})
webhook_code = config_files(stack, "task-webhook", {
    "webhook.py": "# Queues tasks posted by other Services as ConfigMaps for the processor.\n"})
queue = service_account(stack, "task-webhook",
                        rules=[rule([""], ["configmaps"], ["create", "get", "list", "delete"])])
deployment(stack, "task-webhook", image="docker.io/library/python:3.12.8-alpine",
           memory="64Mi", cpu="5m", port=8080, command=["python", "/app/webhook.py"],
           service_account=queue, mounts={"/app": webhook_code}, backend_kind="api")
lobster_data = block_volume(stack, "openlobster-data", size="2Gi", sensitive=False, sqlite=True)
lobster = deployment(
    stack, "openlobster", image="ghcr.io/neirth/openlobster/openlobster:0.4.0", memory="256Mi",
    memory_request="128Mi", cpu="20m", port=8080, mounts={"/data": lobster_data},
    env_from=[secrets],
)
ingress(stack, lobster, host="openlobster", dns="proxied", auth=auth.required(groups=["admins"]),
        catalog=Catalog(name="OpenLobster", group="Assistants",
                        description="Second assistant, for experiments"))
runner = service_account(
    stack, "healthcheck", rules=[rule([""], ["pods/exec"], ["create"]),
                                 rule([""], ["pods", "configmaps"], READ)],
)
cronjob(stack, "task-processor", schedule="*/5 * * * *",
        image="registry.k8s.io/kubectl:v1.34.0", memory="64Mi", cpu="10m",
        service_account=runner,
        args=["exec", "deploy/openclaw", "--", "openclaw", "tasks", "process"])
cronjob(stack, "memory-sync", schedule="0 3 * * *", image="registry.k8s.io/kubectl:v1.34.0",
        memory="64Mi", cpu="10m", service_account=runner,
        args=["exec", "deploy/openclaw", "--", "openclaw", "memory", "sync"])

"""KMS: a volume-licence activation server for the lab's Windows VMs, with its help page.

The activation port (1688) is on the shared LB IP. The help page is public behind Anubis; its
scripts and key list are carved out for ``iwr | iex``; a small collector takes client
diagnostics on its own host.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    anubis,
    auth,
    config_files,
    deployment,
    ingress,
    load_balancer,
    tcp_probe,
    vault_secret,
)

stack = Stack("kms", tier=tier.AUX, needs=["platform", "metallb"],
              description="Windows activation server")
server = deployment(stack, "windows-kms", image="registry.home.arpa/homelab/vlmcsd:1113.0.0",
                    memory="32Mi", cpu="5m", ports={"kms": 1688}, probes=tcp_probe())
load_balancer(stack, server, ports={"kms": 1688})
page = deployment(stack, "kms-web-page", image="registry.home.arpa/homelab/kms-website:2.0.1",
                  memory="32Mi", cpu="5m", port=80)
SCRIPTS = auth.none("Read-only scripts and key list, fetched by iwr | iex without a browser")
ingress(stack, anubis(stack, page, difficulty=3), name="kms", host="kms", dns="non-proxied",
        auth=auth.none("Public help page; Anubis proof-of-work keeps scrapers out"),
        carve_outs={"/scripts": SCRIPTS, "/keys.json": SCRIPTS},
        catalog=Catalog(name="KMS", group="Tools", description="Windows activation help"))
collector_code = config_files(stack, "diag-collector-script", {
    "collector.py": "# Accepts client diagnostics (POST /diag) and forwards them to chat.\n"})
collector = deployment(
    stack, "kms-diag", image="docker.io/library/python:3.12.8-alpine", memory="64Mi",
    cpu="5m", port=9102, command=["python", "/app/collector.py"],
    env={"SLACK_WEBHOOK_URL": vault_secret(stack, "slack_webhook_url")},
    mounts={"/app": collector_code}, backend_kind="api",
)
ingress(stack, collector, host="kms-diag", paths=["/diag"], dns="non-proxied",
        auth=auth.none("Write-only telemetry from activation clients; rate limited"),
        catalog=Catalog(hidden=True))

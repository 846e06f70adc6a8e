"""Valia sites: small static sites edited in a shared drive and published to a static host.

Every ten minutes a sync pulls each site's folder (rclone) and publishes what changed. The
sites are served off-cluster; the sync's state is a small claim so it only uploads changes.
"""

from homestack import Stack, tier
from homestack.kit import (
    block_volume,
    config_files,
    cronjob,
    empty_dir,
    external_secret,
    rule,
    service_account,
)

stack = Stack("valia-sites", tier=tier.AUX, needs=["platform", "external-secrets"],
              description="Static sites published from a shared drive")
rclone = external_secret(stack, "valia-sites-sync", {
    "rclone.conf": "secret/valia-sites#rclone_conf",
    "CLOUDFLARE_API_TOKEN": "secret/valia-sites#pages_token",
})
sites = config_files(stack, "valia-sites-config", {
    "sites.yaml": "sites:\n  - name: stem95su\n    folder: Sites/stem95su\n"
                  "  - name: valia\n    folder: Sites/valia\n"})
state = block_volume(stack, "sync-state", size="1Gi", sensitive=False)
writer = service_account(stack, "valia-sites-sync",
                         rules=[rule([""], ["configmaps"], ["get", "update", "patch"])])
cronjob(stack, "sync", schedule="*/10 * * * *",
        image="registry.home.arpa/homelab/valia-sites-sync:1.2.0", memory="256Mi",
        memory_request="128Mi", cpu="50m", service_account=writer,
        env={"CLOUDFLARE_API_TOKEN": rclone["CLOUDFLARE_API_TOKEN"]},
        mounts={"/config/rclone": rclone, "/config/sites": sites, "/state": state,
                "/work": empty_dir("work")})

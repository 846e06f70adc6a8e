"""Broker sync: nightly imports of brokerage activity into Wealthfolio, one CronJob per source.

Each broker's importer runs the same image with its own arguments; the session cache is on an
encrypted block volume (it holds broker sessions), credentials come from Vault.
"""

from homestack import Stack, tier
from homestack.kit import block_volume, cronjob, external_secret, stack_ref

stack = Stack("broker-sync", tier=tier.AUX, needs=["platform", "vault", "wealthfolio"],
              description="Brokerage imports into Wealthfolio")
IMAGE = "registry.home.arpa/homelab/wealthfolio-sync:2.3.0"
WEALTHFOLIO = stack_ref("wealthfolio").service("wealthfolio", port=8088)
data = block_volume(stack, "data", size="1Gi")
creds = external_secret(stack, "broker-sync", data_from=["secret/broker-sync"])
ENV = {"BROKER_SYNC_DATA_DIR": "/data", "WF_SESSION_PATH": "/data/wf-session.json",
       "WF_BASE_URL": WEALTHFOLIO.url}
SOURCES = {
    "version": ("0 1 * * *", "check-version"),
    "trading212": ("0 2 * * *", "trading212"),
    "ibkr": ("10 2 * * *", "ibkr"),
    "schwab": ("20 2 * * *", "schwab"),
    "revolut": ("30 2 * * *", "revolut"),
    "fidelity": ("40 2 * * *", "fidelity"),
    "fx-rates": ("0 6 * * *", "fx-rates"),
}
for name, (schedule, source) in SOURCES.items():
    cronjob(stack, name, schedule=schedule, image=IMAGE, memory="256Mi", cpu="50m",
            args=["sync", source], env=ENV, env_from=[creds], mounts={"/data": data})
cronjob(stack, "prune-sessions", schedule="0 5 * * 0", image="docker.io/library/alpine:3.20.3",
        memory="32Mi", cpu="10m", command=["/bin/sh", "-c"],
        args=["find /data -name '*.session' -mtime +30 -delete"], mounts={"/data": data})

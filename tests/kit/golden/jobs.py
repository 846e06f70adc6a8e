"""A CronJob whose image an updater owns, and a one-off Job."""

from homestack import Stack, tier
from homestack.kit import cronjob, empty_dir, job

stack = Stack("feeds", tier=tier.AUX)
cronjob(stack, "refresh", schedule="*/30 * * * *", image="ghcr.io/acme/feeds:latest",
        image_owner="keel", memory="128Mi", cpu="50m", command=["/app/refresh"],
        mounts={"/tmp": empty_dir("tmp", size_limit="256Mi")})
job(stack, "migrate", image="ghcr.io/acme/feeds@sha256:" + "a" * 64, memory="256Mi", cpu="100m",
    args=["migrate", "--yes"])

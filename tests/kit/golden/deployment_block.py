"""A Deployment on a plain (non-sensitive) block volume renders with the Recreate strategy."""

from homestack import Stack, tier
from homestack.kit import block_volume, deployment

stack = Stack("cache", tier=tier.AUX)
scratch = block_volume(stack, "thumbnails", size="20Gi", sensitive=False, storage_limit="50Gi",
                       backup_schedule="0 4 * * 0")
deployment(stack, "thumbnailer", image="ghcr.io/acme/thumbnailer:2.3.1", memory="512Mi",
           cpu="200m", mounts={"/cache": scratch})

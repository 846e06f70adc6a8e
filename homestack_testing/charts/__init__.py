"""A loopback Helm chart repository with stand-in charts for tests, the benchmark and the main job.

``standins/`` holds charts written for this project under the same names and versions as the
reference homelab's releases; their ``crds/`` define the custom kinds the homelab renders.

    python -m homestack_testing.charts --port 0 --homelab DIR   # prints the URL, serves
    python -m homestack_testing.charts --fill-cache CACHE_DIR   # offline: seed a chart cache
"""

from homestack_testing.charts.repository import (
    STANDINS,
    Packaged,
    fill_cache,
    index,
    package,
    package_all,
)
from homestack_testing.charts.server import ChartRepository

__all__ = ["STANDINS", "ChartRepository", "Packaged", "fill_cache", "index", "package",
           "package_all"]

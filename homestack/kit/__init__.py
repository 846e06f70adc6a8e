"""The kit: typed factory helpers a Stack calls; each attaches components that render Resources."""

from homestack.kit.raw import RawFile, RawManifests, is_cluster_scoped, raw

__all__ = ["RawFile", "RawManifests", "is_cluster_scoped", "raw"]

"""A loopback fake of the Kubernetes API server for tests and benchmarks.

It speaks the real HTTP API (discovery, CRUD, patches, server-side apply with
managedFields) well enough for kubectl and client libraries; see README.md.
"""

from __future__ import annotations

from .errors import ApiError
from .readiness import NEVER_READY
from .server import KubeApiServer

__all__ = ["NEVER_READY", "ApiError", "KubeApiServer"]

"""What a cluster offers a chart as ``.Capabilities``: its version and the APIs it serves.

A plain value: the catalog never contacts a cluster. The CLI reads it from the live cluster's
discovery (once per run, for the ``kube`` target) and passes it in; offline runs pass none
and charts see Helm's built-in defaults.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Capabilities:
    """``kube_version`` as ``v1.31.2``; ``api_versions`` as Helm lists them: every served
    ``group/version`` (``v1`` for the core group) and every ``group/version/Kind``."""

    kube_version: str
    api_versions: tuple[str, ...]

    def options(self) -> dict[str, object]:
        """The render options Helm's engine takes for them."""
        return {"kube_version": self.kube_version, "api_versions": list(self.api_versions)}

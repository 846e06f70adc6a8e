"""Image tags that move: a tag in this table names whatever was pushed last, not a version.

The kit refuses them without an updater that owns the image field, and policy reports them as
unpinned; both read this one table.
"""

from __future__ import annotations

FLOATING_TAGS = frozenset({
    "latest", "nightly", "edge", "dev", "develop", "development", "main", "master", "stable",
    "beta", "alpha", "canary", "rolling", "unstable", "testing", "next", "release", "current",
    "preview", "rc",
})


def is_floating(tag: str | None) -> bool:
    """True when ``tag`` is a moving tag such as ``latest`` or ``nightly`` (case-insensitive)."""
    return tag is not None and tag.lower() in FLOATING_TAGS

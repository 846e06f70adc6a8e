"""Resources as YAML files: stable file names, sorted keys, one object per file.

Shared by ``homestack render`` and the GitOps target so both write the same bytes.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from homestack.model import yamlio
from homestack.model.resource import Provider, Resource

_UNSAFE = re.compile(r"[^a-z0-9.-]+")
# File systems cap a name at 255 bytes; kind + namespace + a 253-character name can exceed it.
_MAX_STEM = 200


def file_name(resource: Resource) -> str:
    """A stable, readable file name for ``resource`` inside its Stack's folder.

    ``deployment-server.yaml``; namespaced objects outside the Stack's own namespace and
    non-Kubernetes Resources carry more of their address so names never collide.
    """
    if resource.provider is Provider.K8S:
        group = resource.api_version.rpartition("/")[0]
        kind = resource.k8s_kind.lower() + (f".{group}" if group and "." in group else "")
        parts = [kind, resource.namespace or "", resource.object_name]
    else:
        parts = [resource.provider.value, resource.kind, resource.name]
    slug = "-".join(_UNSAFE.sub("_", part.lower()).strip("_") for part in parts if part)
    if len(slug) > _MAX_STEM:
        digest = hashlib.sha256(slug.encode()).hexdigest()[:16]
        slug = f"{slug[:_MAX_STEM - 17]}-{digest}"
    return f"{slug}.yaml"


def to_yaml(body: Any) -> str:
    """Serialise with sorted keys, block style and no aliases: byte-stable for equal input."""
    return yamlio.dump(body)


def document(resource: Resource) -> dict[str, Any]:
    """What a Resource looks like on disk: the manifest, or address + body for other providers."""
    if resource.provider is Provider.K8S:
        return resource.body
    return {"address": resource.address, "provider": resource.provider.value,
            "spec": resource.body}

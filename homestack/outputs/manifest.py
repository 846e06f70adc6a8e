"""Resources as YAML files: stable file names, sorted keys, one object per file.

Shared by ``homestack render`` and the GitOps target so both write the same bytes.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from homestack.model import Provider, Resource

_UNSAFE = re.compile(r"[^a-z0-9.-]+")


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
    return f"{slug}.yaml"


class _Dumper(yaml.SafeDumper):
    """Block style, multi-line strings as literal blocks, never anchors and aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str_presenter(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


_Dumper.add_representer(str, _str_presenter)


def to_yaml(body: Any) -> str:
    """Serialise with sorted keys, block style and no aliases: byte-stable for equal input."""
    return yaml.dump(body, Dumper=_Dumper, sort_keys=True, default_flow_style=False, width=1000)


def document(resource: Resource) -> dict[str, Any]:
    """What a Resource looks like on disk: the manifest, or address + body for other providers."""
    if resource.provider is Provider.K8S:
        return resource.body
    return {"address": resource.address, "provider": resource.provider.value,
            "spec": resource.body}

"""raw: plain manifests (a dict, a list of dicts, or a YAML file in the stack folder) as Resources.

For the parts of a Service no kit helper covers. The kit does no I/O: a YAML file is only named
here; the catalog reads it next to the stack file and hands the text to ``RawFile.load``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from homestack.kit._arguments import checked
from homestack.kit._strict import strict
from homestack.model import ModelError, RenderContext, Resource, Stack, yamlio


@dataclass(frozen=True)
class RawManifests:
    """Kubernetes manifests declared as data; the namespace defaults to the Stack's."""

    name: str
    manifests: tuple[dict[str, Any], ...]
    owned_elsewhere: tuple[str, ...] = ()
    ignore: tuple[str, ...] = field(default=())

    def render(self, context: RenderContext) -> Sequence[Resource]:
        resources = []
        for manifest in self.manifests:
            body = _with_namespace(manifest, context.stack.namespace)
            resources.append(
                Resource.k8s(body, owned_elsewhere=self.owned_elsewhere, ignore=self.ignore)
            )
        return resources


_CLUSTER_SCOPED = frozenset(
    {
        # Kubernetes
        "Namespace",
        "Node",
        "CustomResourceDefinition",
        "APIService",
        "ClusterRole",
        "ClusterRoleBinding",
        "PriorityClass",
        "StorageClass",
        "CSIDriver",
        "RuntimeClass",
        "PersistentVolume",
        "IngressClass",
        "ValidatingWebhookConfiguration",
        "MutatingWebhookConfiguration",
        # operators the homelab runs
        "ClusterPolicy",
        "ClusterSecretStore",
        "ClusterIssuer",
        "Installation",
        "APIServer",
        "Whisker",
        "FelixConfiguration",
        "IPPool",
        "GlobalNetworkPolicy",
    }
)


def is_cluster_scoped(kind: str) -> bool:
    """True for kinds that live outside namespaces."""
    return kind in _CLUSTER_SCOPED


def _with_namespace(manifest: Mapping[str, Any], namespace: str) -> dict[str, Any]:
    body = dict(manifest)
    metadata = dict(body.get("metadata") or {})
    if not is_cluster_scoped(str(body.get("kind", ""))):
        metadata.setdefault("namespace", namespace)
    body["metadata"] = metadata
    return body


@dataclass
class RawFile:
    """Manifests from a YAML file in the stack folder; the catalog loads the text."""

    name: str
    relative_path: str
    owned_elsewhere: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    documents: tuple[dict[str, Any], ...] | None = None

    def load(self, text: str) -> None:
        """Parse the file's text (called by the catalog, which did the reading)."""
        try:
            loaded = [doc for doc in yamlio.load_all(text) if doc]
        except yamlio.YAMLError as exc:
            raise ModelError(
                f"{self.relative_path} is not valid YAML ({yamlio.describe(exc)})") from exc
        _check_documents(loaded)
        self.documents = tuple(loaded)

    def render(self, context: RenderContext) -> Sequence[Resource]:
        if self.documents is None:
            raise ModelError(
                f"{self.relative_path} was never loaded",
                hint="Load the homelab through the catalog, which reads stack files",
            )
        inner = RawManifests(self.name, self.documents, self.owned_elsewhere, self.ignore)
        return inner.render(context)


def _check_documents(documents: Sequence[Any]) -> None:
    for document in documents:
        if not isinstance(document, dict) or "kind" not in document:
            raise ModelError(f"raw manifest {document!r:.60} has no kind")
        metadata = document.get("metadata")
        if metadata is not None and not isinstance(metadata, dict):
            raise ModelError(f"raw {document['kind']} manifest: metadata must be a mapping, "
                             f"not {type(metadata).__name__} ({metadata!r:.40})")


def _document(item: object, field: str) -> dict[str, Any]:
    if not isinstance(item, Mapping):
        raise ModelError(
            f"raw {field} is a {type(item).__name__} ({item!r:.40}), not a manifest",
            hint="Each manifest is a dict with apiVersion, kind and metadata",
        )
    return dict(item)


@strict
@checked
def raw(
    stack: Stack,
    manifests: Mapping[str, Any] | Sequence[Mapping[str, Any]] | str,
    *,
    name: str | None = None,
    owned_elsewhere: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> RawManifests | RawFile:
    """Attach raw Kubernetes manifests to ``stack``.

    ``manifests`` is a dict, a list of dicts, or a YAML file name relative to the stack file.

    Example::

        raw(stack, {"apiVersion": "v1", "kind": "ConfigMap",
                    "metadata": {"name": "settings"}, "data": {"mode": "fast"}})
        raw(stack, "extra.yaml")
    """
    if isinstance(manifests, str):
        file_component = RawFile(
            name=name or manifests,
            relative_path=manifests,
            owned_elsewhere=tuple(owned_elsewhere),
            ignore=tuple(ignore),
        )
        stack.add(file_component)
        return file_component
    if isinstance(manifests, Mapping):
        documents: tuple[dict[str, Any], ...] = (dict(manifests),)
        _check_documents(documents)
        label = name or str(dict(manifests).get("metadata", {}).get("name", "raw"))
    elif isinstance(manifests, Sequence):
        documents = tuple(_document(item, f"manifests[{index}]")
                          for index, item in enumerate(manifests))
        label = name or "raw"
    else:
        raise ModelError(
            f"raw manifests is a {type(manifests).__name__}",
            hint="Give a dict, a list of dicts, or a YAML file name next to the stack file",
        )
    _check_documents(documents)
    component = RawManifests(
        name=label,
        manifests=documents,
        owned_elsewhere=tuple(owned_elsewhere),
        ignore=tuple(ignore),
    )
    stack.add(component)
    return component

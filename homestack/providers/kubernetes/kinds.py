"""Map (apiVersion, kind) to a lightkube resource class: built-ins from lightkube's models,
custom kinds from CustomResourceDefinitions (declared in the homelab or found in the cluster).

The classes only name paths: bodies are sent as plain dicts (a built-in model class would
drop a field it does not know, hiding a typo from the API server's validation).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from lightkube.core.exceptions import LoadResourceError
from lightkube.core.resource import NamespacedResource
from lightkube.core.resource_registry import resource_registry
from lightkube.generic_resource import (
    create_global_resource,
    create_namespaced_resource,
    get_generic_resource,
)

from homestack.providers.errors import NotFoundError

_REGISTRY_LOCK = threading.Lock()


@dataclass(frozen=True)
class KindInfo:
    """Where a kind lives in the API."""

    group: str
    version: str
    kind: str
    plural: str
    namespaced: bool

    @property
    def api_version(self) -> str:
        """``group/version`` or ``version`` for the core group."""
        return f"{self.group}/{self.version}" if self.group else self.version


class KindMap:
    """Resolves kinds: built-ins, and custom kinds from CRD bodies given at construction.

    Immutable: ``with_crds`` returns a new map. The lightkube classes it hands out are
    memoised under a lock (lightkube registers one class per kind process-wide).
    """

    def __init__(self, crds: Iterable[dict[str, Any]] = ()) -> None:
        self._custom: dict[tuple[str, str], KindInfo] = {}
        self._learn(crds)

    def with_crds(self, crds: Iterable[dict[str, Any]]) -> KindMap:
        """A map that also knows the kinds of these CRD bodies."""
        bigger = KindMap()
        bigger._custom = dict(self._custom)
        bigger._learn(crds)
        return bigger

    def known(self, api_version: str, kind: str) -> bool:
        """True when the kind is built in or declared by a CRD this map knows."""
        return (api_version, kind) in self._custom or _builtin(api_version, kind) is not None

    def _learn(self, crds: Iterable[dict[str, Any]]) -> None:
        for crd in crds:
            if crd.get("kind") != "CustomResourceDefinition":
                continue
            spec = crd.get("spec", {})
            names = spec.get("names", {})
            for version in spec.get("versions", []):
                info = KindInfo(group=spec.get("group", ""), version=version["name"],
                                kind=names.get("kind", ""), plural=names.get("plural", ""),
                                namespaced=spec.get("scope") == "Namespaced")
                self._custom[(info.api_version, info.kind)] = info

    def info(self, api_version: str, kind: str) -> KindInfo:
        """The API location of ``kind``; ``ProviderError`` when unknown."""
        custom = self._custom.get((api_version, kind))
        if custom:
            return custom
        builtin = _builtin(api_version, kind)
        if builtin is None:
            raise NotFoundError(
                f"unknown kind {kind} in {api_version}",
                hint="Declare its CustomResourceDefinition in a Stack this one needs",
            )
        api = builtin._api_info
        group, _, version = api_version.rpartition("/")
        return KindInfo(group=group, version=version or api_version, kind=kind,
                        plural=api.plural, namespaced=issubclass(builtin, NamespacedResource))

    def resource(self, api_version: str, kind: str) -> Any:
        """A generic lightkube class for ``kind`` (typed Any: lightkube's client methods are
        overloaded per scope and a generic class satisfies either)."""
        if (api_version, kind) not in self._custom:
            builtin = _builtin(api_version, kind)
            if builtin is not None:
                return builtin
        info = self.info(api_version, kind)
        with _REGISTRY_LOCK:
            existing = get_generic_resource(api_version, kind)  # type: ignore[no-untyped-call]
            if existing is not None:
                return existing
            make = create_namespaced_resource if info.namespaced else create_global_resource
            return make(info.group, info.version, kind, info.plural)


def _builtin(api_version: str, kind: str) -> Any:
    """lightkube's model class for a built-in kind (lightkube allows one class per kind)."""
    try:
        return resource_registry.load(api_version, kind)
    except LoadResourceError:
        return None

"""Renamed copies of a Stack: run the original stack file, then rename what it renders.

``bench/scale.py`` copies this module into a scaled homelab (as
``_scale/homestack_scale_rename.py``, an importable module, so that a render of the copies can
be kept by the render cache: a process that reads it back imports the module with ``_scale``
on ``PYTHONPATH``), and every
copied Stack's ``stack.py`` is a small wrapper calling :func:`copy_stack`. The original file runs
unchanged in a fresh namespace; its Stack is rebuilt under the copy's name, namespace and needs,
and each component is wrapped so that what it renders is renamed by one consistent map:

- any string equal to a Stack name, a Stack namespace or a cluster-scoped object name gets the
  suffix (``traefik`` → ``traefik-c2``), so names, namespaces, selectors and references agree
  inside one copy;
- hostnames under the Site's domains get it on their first label
  (``photos.example.org`` → ``photos-c2.example.org``), ``<svc>.<ns>.svc`` references on the
  namespace; a record of the apex domain moves to ``c2.example.org``;
- fields holding a dedicated LoadBalancer IP are dropped, since a dedicated IP serves one
  Service (the shared IP is kept, MetalLB picks a pool address for the rest);
- objects whose address would still collide (cluster-scoped, or in a namespace no Stack owns)
  get the suffix on ``metadata.name``; CustomResourceDefinitions are left to the original
  (their names are fixed by group and plural) and so are Proxmox VMs (ids are unique); other
  providers' Resources (DNS, Vault) whose names would collide get the suffix on the name.

It imports only ``homestack``, so the scaled homelab runs without the benchmark code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import Any

from homestack.kit.helm import HelmRelease
from homestack.model import Provider, Resource, Stack
from homestack.model.stack import Component, RenderContext

# Values under these keys name things that exist once per cluster or come from the Site.
_KEEP = frozenset({"apiVersion", "kind", "image", "storageClassName", "ingressClassName",
                   "priorityClassName", "schedulerName", "runtimeClassName"})


class Renamer:
    """The rename map of one copy (``suffix`` like ``-c2``), read from the generator's JSON."""

    def __init__(self, spec: dict[str, Any], suffix: str) -> None:
        self.suffix = suffix
        self.exact = frozenset(spec["names"])
        self.namespaces = frozenset(spec["namespaces"])
        self.drop = frozenset(spec["dedicated_ips"])
        domains = "|".join(re.escape(d) for d in spec["domains"]) or r"(?!x)x"
        self._host = re.compile(
            r"(?<![A-Za-z0-9.*-])([a-z0-9][a-z0-9-]*)((?:\.[a-z0-9-]+)*\.(?:" + domains + r"))"
            r"(?![A-Za-z0-9-])")
        self._apex = re.compile(r"(?<![A-Za-z0-9.*-])(" + domains + r")(?![A-Za-z0-9-])")
        spaces = "|".join(re.escape(n) for n in sorted(self.namespaces, key=len, reverse=True))
        self._svc = re.compile(r"(?<=\.)(" + (spaces or r"(?!x)x") + r")(?=\.svc\b)")

    def name(self, value: str) -> str:
        """A Stack name in this copy."""
        return value + self.suffix

    def namespace(self, value: str) -> str:
        """A namespace in this copy: renamed unless it is a system or exempt one."""
        return value + self.suffix if value in self.namespaces else value

    def text(self, value: str) -> str:
        """One string value renamed."""
        if value in self.exact:
            return value + self.suffix
        value = self._host.sub(self._host_label, value)
        # The apex itself cannot take a suffix: the copy gets a subdomain of its own.
        value = self._apex.sub(lambda m: self.suffix[1:] + "." + m.group(1), value)
        return self._svc.sub(lambda m: m.group(1) + self.suffix, value)

    def _host_label(self, match: re.Match[str]) -> str:
        label = match.group(1)
        # Hosts a kit helper derived from the copy's Stack name are already unique.
        if not label.endswith(self.suffix):
            label += self.suffix
        return label + match.group(2)

    def value(self, value: Any, key: str = "") -> Any:
        """A JSON value renamed (keys are kept; dedicated LB IPs are dropped by the caller)."""
        if isinstance(value, str):
            return value if key in _KEEP else self.text(value)
        if isinstance(value, dict):
            return {k: self.value(v, k) for k, v in value.items()
                    if not (isinstance(v, str) and v in self.drop)}
        if isinstance(value, list):
            return [self.value(v, key) for v in value]
        return value

    def resource(self, resource: Resource) -> Resource | None:
        """The copy's version of ``resource``; None for what only the original may hold."""
        if resource.provider is Provider.PVE:
            return None
        if resource.provider is not Provider.K8S:
            name = self.text(resource.name)
            if name == resource.name:
                # Nothing in the name is a Stack's (a database role, say): suffix it whole.
                name += self.suffix.replace("-", "_") if "_" in name else self.suffix
            return resource.model_copy(update={"name": name, "body": self.value(resource.body)})
        if resource.k8s_kind == "CustomResourceDefinition":
            return None
        body = self.value(resource.body)
        metadata = body["metadata"]
        original = resource.body["metadata"]
        if not self._owned_namespace(metadata.get("namespace")) \
                and metadata["name"] == original["name"]:
            metadata["name"] = original["name"] + self.suffix
        return Resource.k8s(body, owned_elsewhere=resource.owned_elsewhere,
                            secret_refs=resource.secret_refs, ignore=resource.ignore,
                            force=resource.force, origin=resource.origin)


    def _owned_namespace(self, namespace: str | None) -> bool:
        """True for a namespace of this copy (objects there cannot collide with the original)."""
        if not namespace or not namespace.endswith(self.suffix):
            return False
        return namespace[: -len(self.suffix)] in self.namespaces


class RenamedComponent:
    """A component of the original Stack whose Resources come out renamed."""

    def __init__(self, inner: Component, renamer: Renamer) -> None:
        self._inner = inner
        self._renamer = renamer

    @property
    def name(self) -> str:
        return self._inner.name

    def render(self, context: RenderContext) -> Sequence[Resource]:
        produced = (self._renamer.resource(r) for r in self._inner.render(context))
        return [r for r in produced if r is not None]

    def __getattr__(self, attribute: str) -> Any:
        # File-backed components (raw YAML) are read by the loader through these attributes.
        if attribute.startswith("__") or attribute == "_inner":
            # not delegated: pickle probes dunders on an instance that has no _inner yet
            raise AttributeError(attribute)
        return getattr(self._inner, attribute)


@dataclass
class RenamedRelease(HelmRelease):
    """A Helm release of the original Stack whose objects come out renamed: still a
    ``HelmRelease``, so the catalog fetches and renders its chart for the copy."""

    renamer: Renamer | None = None

    def render(self, context: RenderContext) -> Sequence[Resource]:
        assert self.renamer is not None
        produced = (self.renamer.resource(r) for r in super().render(context))
        return [r for r in produced if r is not None]


def _renamed(component: Component, renamer: Renamer) -> Component:
    if isinstance(component, HelmRelease):
        fields = {f.name: getattr(component, f.name) for f in dataclass_fields(HelmRelease)}
        return RenamedRelease(**{**fields, "rendered": None}, renamer=renamer)
    return RenamedComponent(component, renamer)


def copy_stack(source: Path, spec_file: Path, copy: int) -> Stack:
    """Run the original stack file ``source`` and return its copy number ``copy``."""
    spec = json.loads(spec_file.read_text(encoding="utf-8"))
    renamer = Renamer(spec, f"-c{copy}")
    namespace: dict[str, Any] = {"__file__": str(source), "__name__": f"homelab-copy:{source}"}
    exec(compile(source.read_text(encoding="utf-8"), str(source), "exec"), namespace)
    found = [v for v in namespace.values() if isinstance(v, Stack)]
    if len(found) != 1:
        raise ValueError(f"{source} must declare exactly one Stack, found {len(found)}")
    original = found[0]
    stack = Stack(
        renamer.name(original.name), namespace=renamer.namespace(original.namespace),
        tier=original.tier, state_tier=original.state_tier,
        needs=[renamer.name(n) for n in original.needs], description=original.description,
        labels={k: renamer.text(v) for k, v in original.labels.items()}, origin=original.origin,
    )
    # Appended directly: wrappers share one type, so Stack.add would see false duplicates.
    for component, origin in original._components:
        stack._components.append((_renamed(component, renamer), origin))
    return stack

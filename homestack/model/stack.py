"""Stacks: the Python definition of one Service, and the components it declares.

A Stack collects *components* (what kit helpers return) while its ``stack.py`` runs. Rendering a
component needs the Site (domains, LB pool, GPU node), so components render later, in
``Stack.render(site)``: declaration errors point at the stack line at once, Site-dependent errors
carry the recorded origin.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, Field, PrivateAttr, field_validator

from homestack.model.capability import Capability, conventional
from homestack.model.errors import ModelError
from homestack.model.modelconfig import shared_config
from homestack.model.origin import caller_origin
from homestack.model.resource import Origin, Resource
from homestack.model.site import Site
from homestack.model.state_settings import StateTier
from homestack.model.tier import NamespaceTier

_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")


@dataclass(frozen=True)
class RenderContext:
    """What a component may read while rendering: the Site and its own Stack."""

    site: Site
    stack: Stack


@runtime_checkable
class Component(Protocol):
    """Something a kit helper attached to a Stack; it renders into Resources."""

    @property
    def name(self) -> str:
        """Name of the component, unique per kind inside its Stack."""
        ...

    def render(self, context: RenderContext) -> Sequence[Resource]:
        """Return the Resources this component stands for."""
        ...


@dataclass(frozen=True)
class Requirement:
    """A component's need for a platform capability, and where the component was declared."""

    capability: Capability
    component: str  # its kind and name, for messages
    origin: Origin | None


class Stack(BaseModel):
    """One Service's definition.

    Example::

        stack = Stack("immich", tier=NamespaceTier.AUX, needs=["traefik", "dbaas"])

    ``owns_namespace`` (default: True unless ``namespace`` names another namespace) makes the
    kit declare the Namespace with the first namespaced object; ``namespace(stack)`` does it
    explicitly (and adds labels).
    """

    model_config = shared_config(extra="forbid", validate_assignment=True)

    name: str
    namespace: str = ""
    tier: NamespaceTier | None = None
    state_tier: StateTier = StateTier.STANDARD
    needs: tuple[str, ...] = ()
    provides: tuple[Capability, ...] | None = None  # None: by its name (capability.py)
    description: str = ""
    labels: dict[str, str] = Field(default_factory=dict)
    owns_namespace: bool = True
    origin: Origin | None = Field(default=None, exclude=True)
    _components: list[tuple[Component, Origin | None]] = PrivateAttr(default_factory=list)

    def __init__(self, name: str, /, **fields: object) -> None:
        fields.setdefault("origin", caller_origin())
        # A Stack owns the namespace named after it; one that names another namespace deploys
        # into a namespace some other Stack (or the cluster) owns, unless it says otherwise.
        fields.setdefault("owns_namespace", fields.get("namespace") in (None, "", name))
        super().__init__(name=name, **fields)
        if not self.namespace:
            self.namespace = self.name

    @field_validator("name", "namespace")
    @classmethod
    def _dns_label(cls, value: str) -> str:
        if value and not _DNS_LABEL.fullmatch(value):
            raise ValueError(
                f"{value!r} is not a DNS label (lowercase letters, digits and '-', at most 63)"
            )
        return value

    @field_validator("needs", "provides", mode="before")
    @classmethod
    def _needs_tuple(cls, value: object) -> object:
        if isinstance(value, str):
            return (value,)
        if isinstance(value, Iterable):
            return tuple(value)
        return value

    def add(self, component: Component) -> Component:
        """Attach a component; its origin is the stack line that declared it."""
        for existing, _ in self._components:
            if type(existing) is type(component) and existing.name == component.name:
                raise ModelError(
                    f"two {type(component).__name__} components are called {component.name!r}",
                    subject=f"stack {self.name}",
                    hint="Give each one a distinct name",
                )
        self._components.append((component, caller_origin()))
        return component

    @property
    def components(self) -> tuple[Component, ...]:
        """The attached components in declaration order."""
        return tuple(component for component, _ in self._components)

    @property
    def capabilities(self) -> tuple[Capability, ...]:
        """The platform capabilities this Stack provides: as listed, else by its name."""
        return conventional(self.name) if self.provides is None else self.provides

    def requirements(self) -> list[Requirement]:
        """Every capability a component requires, with the stack line that declared it."""
        return [Requirement(capability, f"{type(component).__name__} {component.name!r}",
                            origin)
                for component, origin in self._components
                for capability in getattr(component, "requires", ())]

    def component_origin(self, component: Component) -> Origin | None:
        """Where ``component`` was declared."""
        for candidate, origin in self._components:
            if candidate is component:
                return origin
        return None

    def render(self, site: Site) -> list[Resource]:
        """Render every component into Resources, sorted by address.

        Raises ``ModelError`` naming the origin of the component that failed, or when two
        components produce the same address.
        """
        context = RenderContext(site=site, stack=self)
        by_address: dict[str, Resource] = {}
        for component, origin in self._components:
            try:
                produced = component.render(context)
            except ModelError as exc:
                where = str(origin) if origin else f"stack {self.name}"
                raise ModelError(str(exc), subject=where) from exc
            for resource in produced:
                if resource.origin is None and origin is not None:
                    resource = resource.model_copy(update={"origin": origin})
                if resource.address in by_address:
                    raise ModelError(
                        f"{resource.address} is declared twice",
                        subject=str(origin) if origin else f"stack {self.name}",
                        hint="Rename one of the objects",
                    )
                by_address[resource.address] = resource
        return sorted(by_address.values(), key=Resource.sort_key)

"""namespace: the Stack's Namespace, labelled with its tier and Stack.

Authors call it explicitly (``namespace(stack)``); no helper adds it behind their back, so a
Stack that deploys into a namespace another Stack owns simply does not call it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from homestack.kit._arguments import checked
from homestack.kit._meta import labels
from homestack.model import RenderContext, Resource, Stack


@dataclass
class Namespace:
    """The Namespace object of a Stack."""

    name: str
    extra_labels: dict[str, str] = field(default_factory=dict)

    def render(self, context: RenderContext) -> Sequence[Resource]:
        meta = {"name": self.name, "labels": {**labels(context.stack), **self.extra_labels}}
        return [Resource.k8s({"apiVersion": "v1", "kind": "Namespace", "metadata": meta})]


@checked
def namespace(stack: Stack, *, labels: Mapping[str, str] | None = None) -> Namespace:
    """Declare the Stack's Namespace (tier label, Stack label, extra ``labels``).

    Example: ``namespace(stack)`` or ``namespace(stack, labels={"homestack.dev/no-quota": "true"})``
    """
    component = Namespace(name=stack.namespace, extra_labels=dict(labels or {}))
    stack.add(component)
    return component

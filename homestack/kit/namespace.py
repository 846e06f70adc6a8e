"""namespace: the Stack's Namespace, labelled with its tier and Stack.

A Stack that owns its namespace (``Stack.owns_namespace``, true by default when the namespace
is the Stack's name) gets it implied: the first kit helper that declares a namespaced object
attaches it. ``namespace(stack)`` declares it explicitly, with labels or a quota opt-out; a Stack
that deploys into a namespace another Stack owns (``Stack(..., namespace="robin")``) gets none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from homestack.kit._arguments import checked
from homestack.kit._meta import labels
from homestack.kit._strict import strict
from homestack.model import ModelError, RenderContext, Resource, Stack
from homestack.model import annotations as ann
from homestack.model.tier import OPT_OUT_QUOTA_LABEL


@dataclass
class Namespace:
    """The Namespace object of a Stack."""

    name: str
    extra_labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    owned_elsewhere: tuple[str, ...] = ()

    def render(self, context: RenderContext) -> Sequence[Resource]:
        meta: dict[str, object] = {"name": self.name,
                                   "labels": {**labels(context.stack), **self.extra_labels}}
        if self.annotations:
            meta["annotations"] = dict(sorted(self.annotations.items()))
        body = {"apiVersion": "v1", "kind": "Namespace", "metadata": meta}
        return [Resource.k8s(body, owned_elsewhere=self.owned_elsewhere)]


def _existing(stack: Stack) -> Namespace | None:
    return next((c for c in stack.components if isinstance(c, Namespace)), None)


def implied_namespace(stack: Stack) -> None:
    """Attach the Stack's Namespace if it owns one and has none yet (kit helpers call this)."""
    if stack.owns_namespace and _existing(stack) is None:
        stack.add(Namespace(name=stack.namespace))


@strict
@checked
def namespace(
    stack: Stack, *, labels: Mapping[str, str] | None = None, no_quota: str | None = None,
    owned_elsewhere: Sequence[str] = (),
) -> Namespace:
    """Declare the Stack's Namespace (tier label, Stack label, extra ``labels``).

    ``no_quota="why"`` opts the namespace out of the tier quota; the reason is required and
    recorded. Kit helpers imply the Namespace of a Stack that owns it, so call this only for
    labels, the opt-out, a Stack that names another namespace it owns, or a Stack made only of
    raw manifests (``raw`` implies nothing: its objects may live anywhere).

    Example: ``namespace(stack, no_quota="Build runners burst far above any tier's quota")``
    """
    extra = dict(labels or {})
    notes: dict[str, str] = {}
    if no_quota is not None:
        if not no_quota.strip():
            raise ModelError("no_quota needs a reason", subject=f"namespace {stack.namespace}",
                             hint="Say why this namespace may exceed its tier's quota")
        extra[OPT_OUT_QUOTA_LABEL] = "true"
        notes[ann.NO_QUOTA_REASON] = no_quota
    existing = _existing(stack)
    if existing is not None:
        existing.extra_labels.update(extra)
        existing.annotations.update(notes)
        existing.owned_elsewhere += tuple(owned_elsewhere)
        return existing
    component = Namespace(name=stack.namespace, extra_labels=extra, annotations=notes,
                          owned_elsewhere=tuple(owned_elsewhere))
    stack.add(component)
    return component

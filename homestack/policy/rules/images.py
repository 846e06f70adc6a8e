"""Rules on images: pinned tags, trusted registries, one owner per image field, pull policy."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from homestack.model import annotations as a
from homestack.policy import _manifest as m
from homestack.policy.context import Item, PolicyContext
from homestack.policy.rule import Hit, Rule, Scope, Severity


def _images(item: Item) -> Iterator[tuple[dict[str, Any], m.Image]]:
    for container in m.containers(m.pod_spec(item.body)):
        image = container.get("image")
        if isinstance(image, str) and image:
            yield container, m.Image.parse(image)


def image_owner(item: Item) -> str:
    """The updater that owns the workload's image field ("" when Homestack does)."""
    template = m.pod_template(item.body) or {}
    return (m.annotations_of(item.body).get(a.IMAGE_OWNER)
            or m.annotations_of(template).get(a.IMAGE_OWNER) or "").strip()


def _pinned(ctx: PolicyContext) -> Iterator[Hit]:
    for item in ctx.workloads():
        if image_owner(item):
            continue
        for container, image in _images(item):
            if not image.pinned:
                yield Hit(item.stack, item.address,
                          f"container {container.get('name', '?')!r} image {container['image']} "
                          "is not pinned to a version")


def _trusted(ctx: PolicyContext) -> Iterator[Hit]:
    trusted = set(ctx.site.trusted_registries)
    if not trusted:
        return
    for item in ctx.workloads():
        for container, image in _images(item):
            if image.registry not in trusted:
                yield Hit(item.stack, item.address,
                          f"image {container['image']} comes from {image.registry}, which is "
                          f"not trusted (trusted: {', '.join(sorted(trusted))})")


def _image_owned_elsewhere(item: Item) -> bool:
    return any("image" in path for path in item.resource.owned_elsewhere)


def _one_owner(ctx: PolicyContext) -> Iterator[Hit]:
    for item in ctx.workloads():
        owner = image_owner(item)
        if owner and not _image_owned_elsewhere(item):
            yield Hit(item.stack, item.address,
                      f"{owner} owns the image field ({a.IMAGE_OWNER}) but Homestack also "
                      "applies it: each side would revert the other")


def _pull_policy(ctx: PolicyContext) -> Iterator[Hit]:
    for item in ctx.workloads():
        for container, image in _images(item):
            policy = container.get("imagePullPolicy")
            expected = "IfNotPresent" if image.pinned else "Always"
            if policy is not None and policy != expected:
                yield Hit(item.stack, item.address,
                          f"container {container.get('name', '?')!r} pulls {container['image']} "
                          f"with {policy}, expected {expected}")


RULES = (
    Rule("HS-IMAGE-001", "images are pinned", Severity.ERROR,
         "An unpinned image changes under the homelab on any restart; plans cannot show it.",
         f"Pin a version tag or digest, or hand the image to an updater ({a.IMAGE_OWNER})",
         _pinned, scope=Scope.STACK),
    Rule("HS-IMAGE-002", "images come from trusted registries", Severity.ERROR,
         "The cluster admits only trusted registries; an image without a registry host is "
         "docker.io.",
         "Use a registry of site.trusted_registries or add the registry there", _trusted,
         scope=Scope.STACK),
    Rule("HS-IMAGE-003", "one owner per image field", Severity.ERROR,
         "When an updater (Keel) owns the image, Homestack must set it on create only, or the "
         "two revert each other and every plan shows drift.",
         "List the image path in owned_elsewhere (kit: image_owner=...)", _one_owner,
         scope=Scope.STACK),
    Rule("HS-IMAGE-004", "pull policy matches the tag", Severity.WARNING,
         "The cluster sets Always for :latest and IfNotPresent for pinned tags; another value "
         "is reverted and shows as drift.",
         "Remove imagePullPolicy or set the expected value", _pull_policy, scope=Scope.STACK),
)

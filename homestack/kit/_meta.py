"""Shared building blocks of the kit: names, labels, quantities and image references.

Every helper validates its arguments here at declaration time, so a mistake raises a
``ModelError`` pointing at the stack line that made it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from homestack.model import ModelError, Stack, parse_quantity
from homestack.model import annotations as ann
from homestack.model.image_tags import is_floating
from homestack.model.quantity import is_memory
from homestack.model.tier import TIER_LABEL

NAME_LABEL = "app.kubernetes.io/name"
INSTANCE_LABEL = "app.kubernetes.io/instance"
MANAGED_BY_VALUE = ann.FIELD_MANAGER

_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
_TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
_DIGEST = re.compile(r"^sha256:[a-f0-9]{64}$")


def check_name(name: str, what: str) -> str:
    """Return ``name`` when it is a DNS label, else raise naming ``what``."""
    if not _DNS_LABEL.fullmatch(name):
        raise ModelError(
            f"{what} name {name!r} is not a DNS label",
            hint="Use lowercase letters, digits and '-', at most 63 characters",
        )
    return name


def selector(stack: Stack, name: str) -> dict[str, str]:
    """The labels that select the pods of workload ``name``."""
    return {NAME_LABEL: name, INSTANCE_LABEL: stack.name}


def labels(stack: Stack, name: str | None = None) -> dict[str, str]:
    """Labels of every kit object: managed-by, Stack, tier, the Stack's own, and selectors."""
    out = dict(stack.labels)
    out[ann.MANAGED_BY] = MANAGED_BY_VALUE
    out[ann.STACK] = stack.name
    if stack.tier is not None:
        out[TIER_LABEL] = stack.tier.label
    if name is not None:
        out.update(selector(stack, name))
    return out


def metadata(
    stack: Stack,
    name: str,
    *,
    app: str | None = None,
    namespace: str | None = None,
    annotations: dict[str, str] | None = None,
    cluster_scoped: bool = False,
) -> dict[str, Any]:
    """metadata of a kit object; ``app`` adds the selector labels of that workload."""
    meta: dict[str, Any] = {"name": name}
    if not cluster_scoped:
        meta["namespace"] = namespace or stack.namespace
    meta["labels"] = labels(stack, app)
    if annotations:
        meta["annotations"] = dict(sorted(annotations.items()))
    return meta


def check_int(value: object, field: str, subject: str) -> int:
    """Return ``value`` when it is an int (not a bool or a string), else raise naming ``field``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ModelError(
            f"{field}={value!r:.40} must be a whole number, not {type(value).__name__}",
            subject=subject,
            hint=f"Write {field} as a number without quotes, like {field}=3",
        )
    return value


def check_memory(value: str, subject: str) -> str:
    """Return ``value`` when it is a memory quantity ('256Mi'), else raise."""
    if not isinstance(value, str) or not is_memory(value) or parse_quantity(value) <= 0:
        raise ModelError(
            f"memory {value!r} is not a memory quantity",
            subject=subject,
            hint="Write it like '256Mi' or '2Gi'; it is both the request and the limit",
        )
    return value


def check_cpu(value: str, subject: str) -> str:
    """Return ``value`` when it is a cpu quantity ('100m', '1'), else raise."""
    try:
        amount = parse_quantity(value)
    except ModelError as exc:
        raise ModelError(
            f"cpu {value!r} is not a cpu quantity",
            subject=subject,
            hint="Write it like '100m' or '1'; it is a request, the kit sets no cpu limit",
        ) from exc
    if amount <= 0 or (isinstance(value, str) and value[-1:] not in "0123456789m"):
        raise ModelError(f"cpu {value!r} is not a cpu quantity", subject=subject,
                         hint="Write it like '100m' or '1'")
    return value


def check_size(value: str, subject: str) -> str:
    """Return ``value`` when it is a storage size ('10Gi'), else raise."""
    if not isinstance(value, str) or not is_memory(value) or parse_quantity(value) <= 0:
        raise ModelError(
            f"size {value!r} is not a storage quantity",
            subject=subject,
            hint="Write it like '10Gi' or '2Ti'",
        )
    return value


def scale_quantity(value: str, factor: int) -> str:
    """``value`` times ``factor`` in the same unit (``'10Gi'`` times 4 is ``'40Gi'``)."""
    match = re.match(r"^([0-9]+(?:\.[0-9]+)?)([A-Za-z]*)$", value.strip())
    if not match:
        raise ModelError(f"{value!r} is not a quantity")
    number = Decimal(match.group(1)) * factor
    text = str(int(number)) if number == number.to_integral_value() else str(number)
    return f"{text}{match.group(2)}"


def image_tag(image: str) -> tuple[str | None, str | None]:
    """Split an image reference into (tag, digest); either may be None."""
    rest, _, digest = image.partition("@")
    last = rest.rsplit("/", 1)[-1]
    tag = last.partition(":")[2] if ":" in last else None
    return tag or None, digest or None


def check_image(image: str, image_owner: str | None, subject: str) -> str:
    """Refuse images without a tag or digest, and ``:latest`` unless an updater owns the field."""
    if not image or any(c.isspace() for c in image):
        raise ModelError(f"image {image!r} is empty or has spaces", subject=subject)
    tag, digest = image_tag(image)
    if digest is not None and not _DIGEST.fullmatch(digest):
        raise ModelError(f"image {image!r} has a malformed digest", subject=subject,
                         hint="Write it like 'repo@sha256:<64 hex digits>'")
    if tag is not None and not _TAG.fullmatch(tag):
        raise ModelError(f"image {image!r} has a malformed tag", subject=subject)
    if tag is None and digest is None:
        raise ModelError(
            f"image {image!r} has no tag or digest",
            subject=subject,
            hint=f"Pin it, like '{image}:1.2.3' or '{image}@sha256:...'",
        )
    if is_floating(tag) and digest is None and not image_owner:
        raise ModelError(
            f"image {image!r} uses the floating tag ':{tag}' without an owner",
            subject=subject,
            hint="Pin a version, or name the updater that owns the field: image_owner='keel'",
        )
    return image


def slug(text: str) -> str:
    """Lowercase DNS-label-ish form of a path or key (``secret/my_app`` → ``secret-my-app``)."""
    out = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return out or "x"

"""The dashboard tile of an ingress: ``Catalog`` and its Homepage ``Widget``, as annotations.

The tile is written twice on the Ingress: as ``homestack.dev/catalog-*`` (what policy and the
docs read) and as the ``gethomepage.dev/*`` annotations Homepage's Kubernetes discovery reads
(enabled, name, group, icon, description, href, widget.*). A widget field that is a secret is
never written: the annotation holds ``{{HOMEPAGE_VAR_<NAME>}}``, which Homepage fills from its
own environment; ``homepage_var(ref)`` gives that name, so the Homepage Stack maps the same
``SecretRef`` into its env, and the Ingress records the reference.

Example::

    ingress(stack, server, host="immich", catalog=Catalog(
        name="Immich", group="Media", icon="immich.png", description="Photo library",
        widget=Widget("immich", fields={"key": vault_secret(stack, "homepage_key"),
                                        "version": "2"})))
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from homestack.kit._strict import strict, strict_type
from homestack.model import ModelError, SecretRef
from homestack.model import annotations as ann

HOMEPAGE = "gethomepage.dev"
_FIELD = re.compile(r"^[A-Za-z][A-Za-z0-9_.]*$")


@strict
def homepage_var(ref: SecretRef) -> str:
    """The Homepage env name that carries ``ref`` (``HOMEPAGE_VAR_IMMICH_HOMEPAGE_KEY``)."""
    path = ref.path.removeprefix("secret/")
    return "HOMEPAGE_VAR_" + re.sub(r"[^A-Z0-9]+", "_", f"{path}_{ref.key}".upper()).strip("_")


@strict_type
@dataclass(frozen=True)
class Widget:
    """A Homepage widget: its ``type``, ``url`` (default: the ingress URL) and other fields.

    Field values that are ``SecretRef`` become ``{{HOMEPAGE_VAR_...}}`` placeholders.
    """

    type: str
    url: str | None = None
    fields: Mapping[str, str | SecretRef] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.type or not _FIELD.fullmatch(self.type):
            raise ModelError(f"widget type {self.type!r} is not a Homepage widget name")
        for key, value in self.fields.items():
            if not _FIELD.fullmatch(key) or key in ("type", "url"):
                raise ModelError(f"widget field {key!r} is not valid",
                                 hint="Use Homepage's field names; type and url are arguments")
            if not isinstance(value, str | SecretRef):
                raise ModelError(f"widget field {key!r} takes a string or a SecretRef")

    @property
    def secret_refs(self) -> tuple[SecretRef, ...]:
        """The references the widget's placeholders stand for."""
        return tuple(v for _, v in sorted(self.fields.items()) if isinstance(v, SecretRef))


@strict_type
@dataclass(frozen=True)
class Catalog:
    """The dashboard tile of an ingress (``name`` defaults to the backend's name)."""

    name: str | None = None
    group: str | None = None
    icon: str | None = None
    description: str = ""
    href: str | None = None
    hidden: bool = False
    widget: Widget | None = None

    def annotations(self, fallback_name: str, host: str) -> dict[str, str]:
        """The tile as ``homestack.dev/catalog-*`` and ``gethomepage.dev/*`` annotations."""
        name = self.name or fallback_name
        notes = {ann.CATALOG_NAME: name}
        if self.hidden:
            notes[ann.CATALOG_HIDDEN] = "true"
            return notes
        href = self.href or f"https://{host}"
        tile = {"name": name, "group": self.group, "icon": self.icon,
                "description": self.description or None, "href": href}
        for key, value in ((ann.CATALOG_GROUP, self.group), (ann.CATALOG_ICON, self.icon),
                           (ann.CATALOG_DESCRIPTION, self.description)):
            if value:
                notes[key] = value
        notes[ann.CATALOG_HREF] = href
        notes[f"{HOMEPAGE}/enabled"] = "true"
        notes.update({f"{HOMEPAGE}/{key}": value for key, value in tile.items() if value})
        if self.widget is not None:
            notes.update(self._widget(self.widget, href))
        return notes

    @staticmethod
    def _widget(widget: Widget, href: str) -> dict[str, str]:
        notes = {f"{HOMEPAGE}/widget.type": widget.type,
                 f"{HOMEPAGE}/widget.url": widget.url or href}
        for key, value in sorted(widget.fields.items()):
            shown = f"{{{{{homepage_var(value)}}}}}" if isinstance(value, SecretRef) else value
            notes[f"{HOMEPAGE}/widget.{key}"] = shown
        return notes

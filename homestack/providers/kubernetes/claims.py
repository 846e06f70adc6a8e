"""Why a PersistentVolumeClaim is still Pending, read from its StorageClass.

A claim whose class does not exist never binds (the provisioner reports ProvisioningFailed);
a claim whose class binds on ``WaitForFirstConsumer`` binds only once a pod mounts it, so it is
settled as soon as it exists. Either way the wait ends at once with the reason instead of
running into its timeout. The lookup is passed in: this module does no I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from homestack.model.readiness import Readiness

DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class"
# Looks up a StorageClass by name (None: the default class); None when there is none.
ClassLookup = Callable[[str | None], dict[str, Any] | None]


def class_name(claim: dict[str, Any]) -> str | None:
    """The class the claim names (None: the cluster's default class; "": static only)."""
    name = (claim.get("spec") or {}).get("storageClassName")
    return None if name is None else str(name)


def default_class(classes: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The class annotated as the default, if any."""
    for item in classes:
        annotations = (item.get("metadata") or {}).get("annotations") or {}
        if annotations.get(DEFAULT_CLASS) == "true":
            return item
    return None


def pending_claim(claim: dict[str, Any], verdict: Readiness, lookup: ClassLookup
                  ) -> Readiness:
    """``verdict`` refined for a Pending claim: failed, settled, or still waiting."""
    if verdict.done:
        return verdict
    name = class_name(claim)
    if name == "":
        return verdict  # binds to a pre-provisioned volume only: that can take a while
    found = lookup(name)
    if found is None:
        missing = f'StorageClass "{name}" not found' if name else "no default StorageClass"
        return Readiness.failed(f"cannot bind: {missing}, so no volume can be provisioned "
                                f"(ProvisioningFailed)")
    if found.get("volumeBindingMode") == "WaitForFirstConsumer":
        shown = (found.get("metadata") or {}).get("name", name)
        return Readiness.ready(f"Pending until a pod mounts it (StorageClass {shown} binds "
                               "WaitForFirstConsumer)")
    return verdict

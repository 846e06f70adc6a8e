"""Growing a bound PersistentVolumeClaim: allowed only when its StorageClass says
``allowVolumeExpansion: true``, else the API server's admission refuses the write (403). The
plan says so up front, from the StorageClasses observed with the claims, instead of an apply
that fails on it. This module does no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homestack.model.changeset import Failure, FailureKind
from homestack.providers.kubernetes.immutable import bound
from homestack.providers.kubernetes.quantity import amount


def _storage(claim: dict[str, Any]) -> Any:
    return (((claim.get("spec") or {}).get("resources") or {}).get("requests") or {}).get(
        "storage")


def refused_growth(live: dict[str, Any], desired: dict[str, Any],
                   expandable: Mapping[str, bool]) -> Failure | None:
    """Why growing ``live`` to ``desired`` would be refused, or None when it would not be.

    ``expandable`` maps each StorageClass the cluster has to its ``allowVolumeExpansion``.
    """
    if desired.get("kind") != "PersistentVolumeClaim" or not bound(live):
        return None
    had, wants = amount(_storage(live)), amount(_storage(desired))
    if had is None or wants is None or wants <= had:
        return None
    klass = str((live.get("spec") or {}).get("storageClassName") or "")
    if expandable.get(klass, False):
        return None
    why = f'StorageClass "{klass}" does not allow volume expansion' if klass in expandable \
        else f'StorageClass "{klass}" does not exist' if klass else "the claim has no StorageClass"
    return Failure(FailureKind.FORBIDDEN,
                   f"cannot grow the claim from {_storage(live)} to {_storage(desired)}: {why}, "
                   "so the API server would refuse the resize. Set allowVolumeExpansion: true "
                   "on the StorageClass, or keep the size",
                   fields=("spec.resources.requests.storage",))

"""Taking over releases Helm installed: their objects, and the release history Helm left.

Helm marks each object of a release with the annotations ``meta.helm.sh/release-name`` and
``meta.helm.sh/release-namespace`` and writes it as field manager ``helm``; it keeps every
revision of the release in a Secret ``sh.helm.release.v1.<name>.v<N>`` (type
``helm.sh/release.v1``, labels ``owner: helm``, ``name: <name>``) in the release namespace.
Adopting the objects is ordinary adoption (the plan names the release beside the managers).
The history Secrets are not Homestack's objects: the plan lists them (so the owner knows they
exist, and that ``helm`` would still think it manages the release), and deletes them only
when the run asks (``adopt --remove-helm-history``). One Stack lists each release: the first
by name among the Stacks that declare its objects, so two Stacks never both delete them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from homestack.model.address import Address
from homestack.model.changeset import Action, Change

RELEASE_NAME = "meta.helm.sh/release-name"
RELEASE_NAMESPACE = "meta.helm.sh/release-namespace"
SECRET_TYPE = "helm.sh/release.v1"
SECRET_LABELS = {"owner": "helm"}
FLAG = "--remove-helm-history"

Release = tuple[str, str]  # (namespace, name)


def release_of(body: Mapping[str, Any]) -> Release | None:
    """The Helm release an object belongs to, from Helm's annotations (None: not Helm's)."""
    annotations = (body.get("metadata") or {}).get("annotations") or {}
    name = annotations.get(RELEASE_NAME)
    if not name:
        return None
    namespace = annotations.get(RELEASE_NAMESPACE) or \
        (body.get("metadata") or {}).get("namespace") or "default"
    return str(namespace), str(name)


def releases(bodies: Iterable[Mapping[str, Any]]) -> set[Release]:
    """The Helm releases some of ``bodies`` belong to."""
    return {r for body in bodies if (r := release_of(body)) is not None}


def history(secrets: Iterable[Mapping[str, Any]], wanted: set[Release]
            ) -> dict[Release, tuple[str, ...]]:
    """The names of the release Secrets of each wanted release, by revision.

    Only names are kept: a release Secret holds the rendered manifests and values.
    """
    found: dict[Release, list[tuple[int, str]]] = {}
    for secret in secrets:
        if secret.get("type") != SECRET_TYPE:
            continue
        metadata = secret.get("metadata") or {}
        name, namespace = str(metadata.get("name", "")), str(metadata.get("namespace", ""))
        release, _, revision = name.removeprefix("sh.helm.release.v1.").rpartition(".v")
        if (namespace, release) in wanted and revision.isdigit():
            found.setdefault((namespace, release), []).append((int(revision), name))
    return {key: tuple(name for _, name in sorted(names)) for key, names in found.items()}


def head(body: Mapping[str, Any]) -> tuple[str, ...]:
    """The plan field naming the Helm release of an adopted object (empty when not Helm's)."""
    release = release_of(body)
    if release is None:
        return ()
    return (f"Helm release {release[1]} (namespace {release[0]})",)


def listing_stack(release: Release, objects: Mapping[str, Mapping[str, Any]],
                  owners: Mapping[str, str]) -> str | None:
    """The Stack that lists ``release``'s history: the first declaring one of its objects."""
    stacks = {owners[a] for a, body in objects.items()
              if a in owners and release_of(body) == release}
    return min(stacks) if stacks else None


def changes(stack: str, found: Mapping[Release, tuple[str, ...]],
            objects: Mapping[str, Mapping[str, Any]], owners: Mapping[str, str], *,
            remove: bool) -> list[Change]:
    """The history Secrets this Stack lists: deletes when asked, else unchanged with a note.

    Neither carries a Resource, so no Stack ever records them.
    """
    listed = []
    for release, names in sorted(found.items()):
        if listing_stack(release, objects, owners) != stack:
            continue
        namespace, name = release
        for secret in names:
            address = Address.k8s("v1", "Secret", secret, namespace)
            if remove:
                note = f"history of Helm release {name}, removed on request"
                listed.append(Change(stack, address, Action.DELETE, fields=(note,)))
            else:
                note = f"history of Helm release {name}, kept (remove with `homestack " \
                       f"adopt {FLAG}`)"
                listed.append(Change(stack, address, Action.UNCHANGED, fields=(note,)))
    return listed

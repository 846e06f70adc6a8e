"""helm_release: a Helm chart's objects as ordinary Resources of the Stack.

The kit only *declares* the release (chart, repository, pinned version, values). Fetching and
rendering the chart is I/O, so the catalog does it (``homestack.catalog.helm``) and hands the
rendered manifests back with ``HelmRelease.attach``; ``render`` then turns them into Resources
the way Helm would install them: objects without a namespace go to the release namespace, the
chart's ``crds/`` first (unless ``crds="skip"``), hooks mapped to apply order, test hooks
dropped. No Helm release Secret is ever written.

Example::

    helm_release(stack, "metallb", chart="metallb", repo="https://metallb.github.io/metallb",
                 version="0.14.9", values={"speaker": {"frr": {"enabled": False}}})
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from homestack.kit._arguments import checked
from homestack.kit._strict import strict
from homestack.kit.raw import is_cluster_scoped
from homestack.model import ModelError, RenderContext, Resource, Stack
from homestack.model.kinds import APPLY_PHASE
from homestack.model.secret import SecretRef, SecretValue

# Helm's hook annotations and where Homestack applies each hook (see README "Helm").
HOOK = "helm.sh/hook"
HOOK_DELETE_POLICY = "helm.sh/hook-delete-policy"
RELEASE = "homestack.dev/helm-release"  # the release name, on every object of the release
_BEFORE = {"pre-install", "pre-upgrade"}
_AFTER = {"post-install", "post-upgrade"}
_SKIPPED = {"test", "test-success", "test-failure", "pre-delete", "post-delete",
            "pre-rollback", "post-rollback"}

_EXACT = re.compile(r"^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")
_RELEASE_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_SECRET_TEXT = re.compile(r"^secret/[a-z0-9_./-]+#[A-Za-z0-9_.-]+$")

CrdPolicy = Literal["install", "skip"]


@dataclass(frozen=True)
class RenderedChart:
    """What the catalog hands back: the chart's CRDs and rendered templates, as manifests."""

    digest: str
    crds: tuple[dict[str, Any], ...]
    manifests: tuple[tuple[str, dict[str, Any]], ...]  # (template path, object)


@dataclass
class HelmRelease:
    """One Helm release of a Stack; rendered by the catalog, then turned into Resources."""

    name: str
    chart: str
    repo: str
    version: str
    namespace: str | None = None
    values: dict[str, Any] = field(default_factory=dict)
    values_files: tuple[str, ...] = ()
    crds: CrdPolicy = "install"
    ignore: tuple[str, ...] = ()
    owned_elsewhere: tuple[str, ...] = ()
    rendered: RenderedChart | None = None

    @property
    def oci(self) -> bool:
        """True when the chart comes from an OCI registry."""
        return self.repo.startswith("oci://")

    def attach(self, rendered: RenderedChart) -> None:
        """Take the rendered chart (called by the catalog, which did the I/O)."""
        self.rendered = rendered

    def release_namespace(self, stack: Stack) -> str:
        """Where Helm would install the release: the given namespace, else the Stack's."""
        return self.namespace or stack.namespace

    def render(self, context: RenderContext) -> Sequence[Resource]:
        if self.rendered is None:
            raise ModelError(
                f"Helm release {self.name!r} was never rendered",
                hint="Render the homelab through the catalog, which fetches and renders charts",
            )
        namespace = self.release_namespace(context.stack)
        cluster_kinds = {str(c.get("spec", {}).get("names", {}).get("kind"))
                         for c in self.rendered.crds if c.get("spec", {}).get("scope") == "Cluster"}
        marker = self.name
        resources = []
        if self.crds == "install":
            for crd in self.rendered.crds:
                resources.append(self._resource(_annotated(crd, {RELEASE: marker})))
        for path, manifest in self.rendered.manifests:
            phase = _phase(manifest, path)
            if phase is None:
                continue
            extra = {RELEASE: marker}
            if phase:
                extra[APPLY_PHASE] = phase
            body = _annotated(manifest, extra)
            kind = str(body.get("kind", ""))
            if not is_cluster_scoped(kind) and kind not in cluster_kinds:
                body["metadata"].setdefault("namespace", namespace)
            resources.append(self._resource(body))
        return resources

    def _resource(self, body: dict[str, Any]) -> Resource:
        return Resource.k8s(body, owned_elsewhere=self.owned_elsewhere, ignore=self.ignore)


def _phase(manifest: Mapping[str, Any], path: str) -> str | None:
    """"" for an ordinary object, "before"/"after" for a mapped hook, None to skip it."""
    annotations = (manifest.get("metadata") or {}).get("annotations") or {}
    hooks = {h.strip() for h in str(annotations.get(HOOK, "")).split(",") if h.strip()}
    if not hooks:
        return ""
    if hooks & _BEFORE:
        return "before"
    if hooks & _AFTER:
        return "after"
    if hooks <= _SKIPPED:
        return None
    raise ModelError(f"{path}: unknown Helm hook {sorted(hooks)}",
                     hint="Helm hooks are pre-/post-install, -upgrade, -delete, -rollback, test")


def _annotated(manifest: Mapping[str, Any], extra: Mapping[str, str]) -> dict[str, Any]:
    body = dict(manifest)
    metadata = dict(body.get("metadata") or {})
    metadata["annotations"] = {**(metadata.get("annotations") or {}), **extra}
    body["metadata"] = metadata
    return body


def check_version(version: str) -> None:
    """Refuse a version range or tag: a release pins one exact chart version."""
    if not _EXACT.fullmatch(version):
        raise ModelError(
            f"chart version {version!r} is not an exact version",
            hint="Pin one version such as '1.2.3' (ranges like '^1.2' or '~1.2', 'latest' and "
                 "wildcards move under you); bump it in the stack file to upgrade",
        )


def check_values(values: Any, where: str = "values") -> None:
    """Values are plain data and never hold a secret or a secret reference."""
    if isinstance(values, SecretRef | SecretValue) or (
            isinstance(values, str) and _SECRET_TEXT.fullmatch(values)) or \
            type(values).__name__ in ("SecretKey", "ExternalSecret"):
        raise ModelError(
            f"{where} holds a secret reference",
            hint="Helm values are stored in plain text: declare the Secret with "
                 "external_secret(...) and point the chart at it with its existingSecret-style "
                 "key",
        )
    if isinstance(values, Mapping):
        for key, value in values.items():
            if not isinstance(key, str):
                raise ModelError(f"{where} has a non-string key {key!r}")
            check_values(value, f"{where}.{key}")
    elif isinstance(values, list | tuple):
        for index, value in enumerate(values):
            check_values(value, f"{where}[{index}]")
    elif not isinstance(values, str | int | float | bool) and values is not None:
        raise ModelError(f"{where} is a {type(values).__name__}, not plain data",
                         hint="Values are strings, numbers, booleans, lists and dicts")


@strict
@checked
def helm_release(
    stack: Stack,
    name: str,
    *,
    chart: str,
    repo: str,
    version: str,
    values: Mapping[str, Any] | None = None,
    values_files: Sequence[str] = (),
    namespace: str | None = None,
    crds: CrdPolicy = "install",
    ignore: Sequence[str] = (),
    owned_elsewhere: Sequence[str] = (),
) -> HelmRelease:
    """Declare a Helm release whose objects become Resources of ``stack``.

    ``repo`` is an HTTP(S) chart repository or an ``oci://`` registry path; ``version`` one
    exact chart version; ``values`` a dict and ``values_files`` YAML files next to the stack
    file (files first, the dict last, as ``helm -f a.yaml -f b.yaml --set`` merges them);
    ``namespace`` the release namespace (the Stack's by default); ``crds`` ``"install"`` or
    ``"skip"`` the chart's ``crds/``; ``ignore`` silences policy rules on every object of the
    release (``"HS-IMAGE-001: reason"``).
    """
    if not _RELEASE_NAME.fullmatch(name) or len(name) > 53:
        raise ModelError(f"release name {name!r} is not valid",
                         hint="Helm release names are lowercase DNS labels of at most 53 chars")
    if not repo.startswith(("https://", "http://", "oci://")):
        raise ModelError(f"chart repository {repo!r} is neither HTTP(S) nor oci://",
                         hint="Use the chart repository URL (https://...) or oci://host/path")
    check_version(version)
    if crds not in ("install", "skip"):
        raise ModelError(f"crds={crds!r} is not 'install' or 'skip'")
    check_values(dict(values or {}))
    if isinstance(values_files, str):
        values_files = (values_files,)
    release = HelmRelease(
        name=name, chart=chart, repo=repo.rstrip("/"), version=version, namespace=namespace,
        values=dict(values or {}), values_files=tuple(values_files), crds=crds,
        ignore=tuple(ignore), owned_elsewhere=tuple(owned_elsewhere))
    stack.add(release)
    return release

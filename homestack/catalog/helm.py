"""Render the Helm releases a Stack declared, with Helm's own engine (``helm-python-sdk``).

Rendering is offline, with Helm's default capabilities (``helm template`` without
``--validate``): ``lookup`` returns nothing and ``.Capabilities`` is Helm's built-in default.
For the ``kube`` target the caller passes the live cluster's ``Capabilities`` (a value: this
layer never contacts a cluster); the release is then rendered both ways, the cluster-aware
output is the one used, and ``prepare`` names the releases whose two outputs differ.
Release name and namespace are passed as Helm would pass them on ``helm install``. The chart
comes from the cache (``catalog.charts``), checked against ``charts.lock`` first.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from homestack.catalog.capabilities import Capabilities
from homestack.catalog.charts import (
    EXTRA_HINT,
    MIRROR_ENV,
    ChartLock,
    ChartRef,
    ChartUnavailableError,
    cache_dir,
    fetch,
)
from homestack.catalog.errors import CatalogError
from homestack.catalog.homelab import Homelab
from homestack.catalog.inputs import declared
from homestack.kit.helm import HelmRelease, RenderedChart, check_values
from homestack.model import ModelError, Stack, canonical_json, yamlio


def releases(stack: Stack) -> list[HelmRelease]:
    """The Helm releases ``stack`` declared."""
    return [c for c in stack.components if isinstance(c, HelmRelease)]


def mirror_for(homelab: Homelab) -> str | None:
    """The chart mirror: ``HOMESTACK_CHART_MIRROR``, else the Site's setting."""
    env = os.environ.get(MIRROR_ENV)
    if env:
        return env
    return homelab.site.charts.mirror if homelab.site.charts else None


def prepare(homelab: Homelab, names: list[str], capabilities: Capabilities | None = None
            ) -> list[tuple[str, str]]:
    """Fetch and render every release of the named Stacks, attaching the result to each.

    With ``capabilities`` (the live cluster's), releases are rendered for that cluster; the
    (Stack, release) pairs whose output differs from the offline render are returned.
    """
    differ: list[tuple[str, str]] = []
    lock: ChartLock | None = None
    mirror = mirror_for(homelab)
    try:
        for name in names:
            stack = homelab.stacks[name]
            for release in releases(stack):
                if release.rendered is not None:
                    continue
                lock = lock or ChartLock(homelab.root / "charts.lock")
                where = _where(homelab, stack, release)
                ref = ChartRef(release.repo, release.chart, release.version)
                try:
                    archive = fetch(ref, lock, mirror=mirror, homelab_root=homelab.root)
                    values = release_values(homelab, stack, release)
                    namespace = release.release_namespace(stack)
                    rendered = render_chart(archive, values, release.name, namespace)
                    if capabilities is not None:
                        aware = render_chart(archive, values, release.name, namespace,
                                             capabilities)
                        if aware != rendered:
                            differ.append((name, release.name))
                        rendered = aware
                except ChartUnavailableError as exc:  # the network, not the input
                    raise ChartUnavailableError(exc.detail, subject=where) from exc
                except CatalogError as exc:
                    if exc.location:
                        raise
                    raise CatalogError(str(exc), location=where) from exc
                except ModelError as exc:
                    raise CatalogError(str(exc), location=where) from exc
                release.attach(rendered)
    finally:
        if lock is not None:
            lock.save()
    return differ


def _where(homelab: Homelab, stack: Stack, release: HelmRelease) -> str:
    shown = homelab.relative(homelab.stack_files.get(stack.name, homelab.root))
    origin = stack.component_origin(release)
    return f"{shown}:{origin.line}" if origin else shown


def release_values(homelab: Homelab, stack: Stack, release: HelmRelease) -> dict[str, Any]:
    """Values files in order, then the dict, merged as Helm merges ``-f`` files."""
    merged: dict[str, Any] = {}
    folder = homelab.stack_files.get(stack.name, homelab.root / "stacks" / stack.name).parent
    for relative in release.values_files:
        try:
            loaded = yamlio.load((folder / relative).read_text(encoding="utf-8")) or {}
        except OSError as exc:
            raise ModelError(f"cannot read values file {relative} ({exc.strerror})") from exc
        except yamlio.YAMLError as exc:
            raise ModelError(f"values file {relative} is not valid YAML ({exc})") from exc
        if not isinstance(loaded, dict):
            raise ModelError(f"values file {relative} is not a mapping")
        check_values(loaded, relative)
        merged = _merge(merged, loaded)
    return _merge(merged, release.values)


def _merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def render_chart(archive: Path, values: Mapping[str, Any], name: str, namespace: str,
                 capabilities: Capabilities | None = None) -> RenderedChart:
    """Render ``archive`` as ``helm install NAME -n NAMESPACE`` would, offline, or for a
    cluster with ``capabilities``.

    The output is kept next to the chart cache, keyed by the archive (content-addressed), the
    inputs and the SDK version: a later run (a no-op plan) reads it back without loading Helm.
    """
    values_json = canonical_json(values)
    key = hashlib.sha256(canonical_json(
        [archive.name, values_json, name, namespace, _sdk_version(),
         *([capabilities.options()] if capabilities else [])]).encode()).hexdigest()
    kept = cache_dir() / "rendered" / f"{key}.json"
    if kept.is_file():
        try:
            data = json.loads(kept.read_text(encoding="utf-8"))
            return RenderedChart(digest=data["digest"], crds=tuple(data["crds"]),
                                 manifests=tuple((p, m) for p, m in data["manifests"]))
        except (ValueError, KeyError, TypeError):
            pass  # a damaged entry is rendered again and rewritten
    with declared():  # Helm's engine: a function of the archive, values, name and capabilities
        rendered = _render(str(archive), values_json, name, namespace, capabilities)
    kept.parent.mkdir(parents=True, exist_ok=True)
    temporary = kept.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps({"digest": rendered.digest, "crds": rendered.crds,
                                     "manifests": rendered.manifests}), encoding="utf-8")
    temporary.replace(kept)
    return rendered


@functools.cache
def _sdk_version() -> str:
    import importlib.metadata  # only when rendering: it walks sys.path

    try:
        return importlib.metadata.version("helm-python-sdk")
    except importlib.metadata.PackageNotFoundError:
        return ""


@functools.lru_cache(maxsize=256)
def _render(archive: str, values_json: str, name: str, namespace: str,
            capabilities: Capabilities | None = None) -> RenderedChart:
    # Memoised on the archive path (content-addressed, so it never changes under a name) and
    # the inputs: repeated renders in one process (tests, benchmarks) cost nothing.
    try:
        import helm_python as helm
    except ImportError as exc:
        raise CatalogError("Helm releases need the Helm SDK, which is not installed",
                           hint=EXTRA_HINT) from exc
    values = json.loads(values_json)
    try:
        with helm.Chart.load(archive) as chart:
            digest = helm.digest(archive)
            chart.validate_schema(values)
            crds = tuple(doc for crd in chart.crds for doc in _documents(crd["data"],
                                                                          crd["filename"]))
            templates = _templates(helm, chart, values, name, namespace, capabilities)
    except helm.HelmError as exc:
        raise ModelError(f"chart {Path(archive).name} does not render: {exc}",
                         hint="Check the release's values against the chart's values") from exc
    manifests = tuple((path, doc) for path in sorted(templates)
                      if path.endswith((".yaml", ".yml", ".json"))
                      for doc in _documents(templates[path], path))
    return RenderedChart(digest=digest, crds=crds, manifests=manifests)


def _templates(helm: Any, chart: Any, values: dict[str, Any], name: str, namespace: str,
               capabilities: Capabilities | None) -> dict[str, str]:
    """The chart's rendered templates; with ``capabilities`` as ``.Capabilities``."""
    if capabilities is None:
        return dict(chart.render(values, name=name, namespace=namespace, is_install=True))
    # helm-python-sdk 0.2 takes the capabilities as render options of its native engine
    # (``kube_version``, ``api_versions``) but its Python ``Chart.render`` does not forward
    # them yet; the options are passed the way ``Chart.render`` passes the others.
    from helm_python import _native

    options = {"name": name, "namespace": namespace, "is_install": True,
               **capabilities.options()}
    rendered = _native.call_string("helm_render", chart._raw(), json.dumps(values),
                                   json.dumps(options))
    return dict(json.loads(rendered))


def _documents(text: str, path: str) -> list[dict[str, Any]]:
    try:
        docs = yamlio.load_all(text)
    except yamlio.YAMLError as exc:
        raise ModelError(f"{path} rendered invalid YAML ({exc})") from exc
    found: list[dict[str, Any]] = []
    for doc in docs:
        if not doc:
            continue
        if not isinstance(doc, dict) or "kind" not in doc:
            raise ModelError(f"{path} rendered a document without kind")
        if doc["kind"].endswith("List") and isinstance(doc.get("items"), list):
            found.extend(item for item in doc["items"] if item)
        else:
            found.append(doc)
    return found

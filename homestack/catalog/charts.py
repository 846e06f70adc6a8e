"""Fetch and lock Helm charts: a content-addressed cache and the homelab's ``charts.lock``.

A chart is pulled once (from its repository, or the mirror), stored in the cache under its
sha256, and its digest recorded in ``charts.lock`` next to ``site.py`` (commit it, like
``Chart.lock`` or ``.terraform.lock.hcl``). Every later use finds the archive by that digest
and checks it again, so everything works offline once pulled and a chart that changed upstream
under the same version is refused instead of silently rendered.

Archives are looked for by digest in ``$HOMESTACK_CHART_CACHE`` (when set), the homelab's own
``.homestack/charts`` (where ``bin/main`` and an offline copy put them) and the user cache;
pulls land in the first of ``$HOMESTACK_CHART_CACHE`` and the user cache. A repository that
cannot be reached is ``ChartUnavailableError`` (the run failed, exit 1, with what to do), not
invalid input: only a repository that answers without the chart or version is that.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from homestack.catalog.errors import CatalogError
from homestack.model import HomestackError, yamlio

LOCK_FILE = "charts.lock"
CACHE_ENV = "HOMESTACK_CHART_CACHE"
MIRROR_ENV = "HOMESTACK_CHART_MIRROR"
EXTRA_HINT = "Install the Helm extra: pip install 'homestack[helm]'"
_LOCK_HEADER = "# Chart digests pinned by homestack; commit this file. Regenerate an entry by\n" \
               "# deleting it and running `homestack validate` with network access.\n"

Progress = Callable[[str], None]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class ChartRef:
    """One chart version of one repository."""

    repo: str
    chart: str
    version: str

    @property
    def key(self) -> tuple[str, str, str]:
        """The lock file's key."""
        return (self.repo, self.chart, self.version)

    def __str__(self) -> str:
        return f"{self.chart} {self.version} from {self.repo}"


HOMELAB_CACHE = Path(".homestack") / "charts"


class ChartUnavailableError(HomestackError):
    """A chart's repository could not be reached, and no cache holds the archive."""


def cache_dir() -> Path:
    """The chart cache pulls land in: ``$HOMESTACK_CHART_CACHE``, else the user cache dir."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "homestack" / "charts"


def caches(homelab_root: Path | None) -> list[Path]:
    """Where archives are looked for, in order: the pull cache first, then the homelab's."""
    found = [cache_dir()]
    if homelab_root is not None:
        found.insert(1 if os.environ.get(CACHE_ENV) else 0, homelab_root / HOMELAB_CACHE)
    return found


def sha256_of(path: Path) -> str:
    """``sha256:<hex>`` of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return f"sha256:{digest.hexdigest()}"


class ChartLock:
    """The homelab's ``charts.lock``: digest per (repository, chart, version)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[tuple[str, str, str], str] = {}
        self.changed = False
        if path.is_file():
            self._read()

    def _read(self) -> None:
        try:
            data = yamlio.load(self.path.read_text(encoding="utf-8")) or {}
        except yamlio.YAMLError as exc:
            raise CatalogError(f"{LOCK_FILE} is not valid YAML ({exc})",
                               location=LOCK_FILE) from exc
        for index, entry in enumerate(data.get("charts") or []):
            try:
                key = (str(entry["repo"]), str(entry["chart"]), str(entry["version"]))
                self.entries[key] = str(entry["digest"])
            except (KeyError, TypeError) as exc:
                raise CatalogError(f"entry {index} lacks repo, chart, version or digest",
                                   location=f"{LOCK_FILE}: charts[{index}]") from exc

    def digest(self, ref: ChartRef) -> str | None:
        """The recorded digest of ``ref``."""
        return self.entries.get(ref.key)

    def record(self, ref: ChartRef, digest: str) -> None:
        """Record a newly pulled chart (written by ``save``)."""
        self.entries[ref.key] = digest
        self.changed = True

    def save(self) -> None:
        """Write the lock file when something was recorded, atomically."""
        if not self.changed:
            return
        rows: list[dict[str, Any]] = [
            {"repo": r, "chart": c, "version": v, "digest": d}
            for (r, c, v), d in sorted(self.entries.items())]
        text = _LOCK_HEADER + yamlio.dump({"charts": rows})
        temporary = self.path.with_suffix(".lock.tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(self.path)
        self.changed = False


def fetch(ref: ChartRef, lock: ChartLock, *, mirror: str | None,
          progress: Progress = _stderr, homelab_root: Path | None = None) -> Path:
    """The archive of ``ref`` from a cache, pulled first when no cache holds it; verified
    every time."""
    locked = lock.digest(ref)
    cache = cache_dir()
    for place in caches(homelab_root):
        if not locked:
            break
        cached = place / "sha256" / f"{locked.removeprefix('sha256:')}.tgz"
        if cached.is_file():
            if sha256_of(cached) != locked:
                raise CatalogError(f"cached chart {ref} does not match its digest {locked}",
                                   location=str(cached), hint="Delete the file to pull it again")
            return cached
    pulled, digest = _pull(ref, cache, mirror, progress)
    if locked and digest != locked:
        pulled.unlink(missing_ok=True)
        raise CatalogError(
            f"chart {ref} has digest {digest}, but {LOCK_FILE} records {locked}",
            location=LOCK_FILE,
            hint="The chart changed under the same version (or the mirror serves another "
                 "build): check where it comes from; if it is trusted, delete its entry "
                 f"from {LOCK_FILE} to record the new digest")
    stored = cache / "sha256" / f"{digest.removeprefix('sha256:')}.tgz"
    stored.parent.mkdir(parents=True, exist_ok=True)
    pulled.replace(stored)
    if not locked:
        lock.record(ref, digest)
    return stored


def _pull(ref: ChartRef, cache: Path, mirror: str | None, progress: Progress
          ) -> tuple[Path, str]:
    try:
        import helm_python as helm
    except ImportError as exc:
        raise CatalogError(f"cannot pull chart {ref}: the Helm SDK is not installed",
                           hint=EXTRA_HINT) from exc
    source = mirror.rstrip("/") if mirror else ref.repo
    progress(f"Pulling chart {ref.chart} {ref.version} from {source} ...")
    cache.mkdir(parents=True, exist_ok=True)
    landing = Path(tempfile.mkdtemp(prefix="pull-", dir=cache))
    try:
        if source.startswith("oci://"):
            target = source if not mirror and source.endswith(f"/{ref.chart}") \
                else f"{source}/{ref.chart}"
            helm.pull(target, version=ref.version, destination=landing)
        else:
            helm.pull(ref.chart, repo_url=source, version=ref.version, destination=landing)
    except helm.HelmError as exc:
        if not _answers(source):
            raise ChartUnavailableError(
                f"cannot reach the chart repository {source} for {ref.chart} {ref.version}",
                subject="charts",
                hint=f"Set {MIRROR_ENV} to a reachable mirror, or put the archive in a chart "
                     f"cache ({CACHE_ENV}, or the homelab's {HOMELAB_CACHE})") from exc
        raise CatalogError(f"cannot pull chart {ref.chart} {ref.version} from {source}: {exc}",
                           hint=f"Check the repository and version, or set {MIRROR_ENV} to a "
                                "reachable mirror") from exc
    archives = sorted(landing.glob("*.tgz"))
    if len(archives) != 1:
        raise CatalogError(f"pulling chart {ref} produced {len(archives)} archives")
    archive = archives[0].rename(cache / f"{landing.name}.tgz")
    landing.rmdir()
    digest = sha256_of(archive)
    progress(f"Pulled chart {ref.chart} {ref.version} ({archive.stat().st_size // 1024} KiB, "
             f"{digest[:19]})")
    return archive, digest


def _answers(source: str) -> bool:
    """Whether the repository answers at all (any HTTP status): a pull that failed against a
    repository that answers is about the chart or version, not the network."""
    if not source.startswith(("http://", "https://")):
        return True  # an OCI registry: Helm's own error says what happened
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(f"{source.rstrip('/')}/index.yaml", timeout=10.0):
            return True
    except urllib.error.HTTPError:
        return True  # it answered, with an error status
    except (urllib.error.URLError, OSError):
        return False

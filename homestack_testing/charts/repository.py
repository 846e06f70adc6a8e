"""Package chart directories into byte-stable archives and a Helm repository ``index.yaml``.

Archives are built with fixed timestamps, owners and order, so a chart's digest depends only on
its files: the reference homelab's committed ``charts.lock`` stays valid on every machine and
every start of the loopback repository.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile
from dataclasses import dataclass
from pathlib import Path

import yaml

STANDINS = Path(__file__).resolve().parent / "standins"


@dataclass(frozen=True)
class Packaged:
    """One chart archive: name, version, file name and bytes."""

    name: str
    version: str
    data: bytes

    @property
    def filename(self) -> str:
        """``<name>-<version>.tgz``, as ``helm package`` names it."""
        return f"{self.name}-{self.version}.tgz"

    @property
    def digest(self) -> str:
        """Hex sha256 of the archive (what index.yaml and charts.lock carry)."""
        return hashlib.sha256(self.data).hexdigest()


def package(chart_dir: Path) -> Packaged:
    """A deterministic ``.tgz`` of ``chart_dir`` (files under ``<chart name>/``)."""
    meta = yaml.safe_load((chart_dir / "Chart.yaml").read_text(encoding="utf-8"))
    name, version = str(meta["name"]), str(meta["version"])
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for path in sorted(p for p in chart_dir.rglob("*") if p.is_file()):
            data = path.read_bytes()
            info = tarfile.TarInfo(f"{name}/{path.relative_to(chart_dir).as_posix()}")
            info.size, info.mtime, info.mode = len(data), 0, 0o644
            tar.addfile(info, io.BytesIO(data))
    packed = io.BytesIO()
    with gzip.GzipFile(fileobj=packed, mode="wb", mtime=0) as gz:
        gz.write(raw.getvalue())
    return Packaged(name, version, packed.getvalue())


def package_all(roots: list[Path]) -> list[Packaged]:
    """Every chart directory (a folder with Chart.yaml) directly under each root."""
    found = []
    for root in roots:
        for chart_dir in sorted(p for p in root.iterdir() if (p / "Chart.yaml").is_file()):
            found.append(package(chart_dir))
    return found


def index(charts: list[Packaged]) -> bytes:
    """A Helm repository index with relative URLs (resolved against the repository URL)."""
    entries: dict[str, list[dict[str, object]]] = {}
    for chart in charts:
        meta_name = chart.name
        entries.setdefault(meta_name, []).append({
            "apiVersion": "v2", "name": chart.name, "version": chart.version,
            "urls": [chart.filename], "digest": chart.digest,
            "created": "2025-01-01T00:00:00Z"})
    body = {"apiVersion": "v1", "entries": entries, "generated": "2025-01-01T00:00:00Z"}
    return yaml.safe_dump(body, sort_keys=True).encode()


def fill_cache(charts: list[Packaged], cache: Path) -> list[Path]:
    """Write archives into a Homestack chart cache (``<cache>/sha256/<hex>.tgz``)."""
    written = []
    for chart in charts:
        target = cache / "sha256" / f"{chart.digest}.tgz"
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(chart.data)
        written.append(target)
    return written

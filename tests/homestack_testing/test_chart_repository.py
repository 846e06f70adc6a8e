"""The loopback chart repository: prints its URL, serves index.yaml and byte-stable archives."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import urllib.request
from pathlib import Path

import yaml

from homestack_testing.charts import STANDINS, fill_cache, package, package_all

REFERENCE = Path(__file__).resolve().parents[2] / "examples" / "reference-homelab"


def test_archives_are_byte_stable_and_match_the_reference_lock() -> None:
    first = package(STANDINS / "metallb")
    assert first.data == package(STANDINS / "metallb").data
    lock = yaml.safe_load((REFERENCE / "charts.lock").read_text())["charts"]
    served = {(c.name, c.version): f"sha256:{c.digest}" for c in package_all([STANDINS])}
    assert {(e["chart"], e["version"]): e["digest"] for e in lock}.items() <= served.items()


def test_module_prints_its_url_and_serves_index_and_archives(tmp_path: Path) -> None:
    child = subprocess.Popen([sys.executable, "-m", "homestack_testing.charts", "--port", "0",
                              "--homelab", str(REFERENCE)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        url = child.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{url}/index.yaml", timeout=10) as answer:
            index = yaml.safe_load(answer.read())
        entry = index["entries"]["kyverno"][0]
        assert entry["version"] == "3.3.4"
        with urllib.request.urlopen(f"{url}/{entry['urls'][0]}", timeout=10) as answer:
            assert hashlib.sha256(answer.read()).hexdigest() == entry["digest"]
    finally:
        child.terminate()
        _, err = child.communicate(timeout=10)
    assert "warning" not in err, "every chart of the reference charts.lock is served as locked"


def test_fill_cache_writes_content_addressed_archives(tmp_path: Path) -> None:
    written = fill_cache(package_all([STANDINS]), tmp_path)
    for path in written:
        assert path.name == f"{hashlib.sha256(path.read_bytes()).hexdigest()}.tgz"

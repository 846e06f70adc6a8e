"""Bad releases, tampered locks and missing charts are refused before anything is applied."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from homestack.catalog import CatalogError, load, render_all
from homestack.kit.helm import check_version
from homestack.model import ModelError
from tests.providers.helm.conftest import HelmLab


def _homestack(lab: HelmLab, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KUBECONFIG": str(lab.kubeconfig), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "homestack", "-C", str(lab.root), *args],
                          capture_output=True, text=True, env=env, check=False, timeout=120)


@pytest.mark.parametrize("version", ["^1.0.0", "~1.0", "1.x", ">=1.0.0", "latest", "1.0", "*"])
def test_version_ranges_are_refused_with_a_hint(version: str) -> None:
    with pytest.raises(ModelError, match=r"not an exact version.*Pin one version"):
        check_version(version)


def test_version_range_in_a_stack_fails_at_its_line_and_applies_nothing(helmlab: HelmLab
                                                                        ) -> None:
    helmlab.edit("demo", 'version="1.0.0"', 'version="^1.0.0"')
    done = _homestack(helmlab, "apply", "--yes")
    assert done.returncode == 3, done.stderr
    assert "stacks/demo/stack.py:6" in done.stderr and "not an exact version" in done.stderr
    assert helmlab.server.stats()["total"] == 0


def test_secret_reference_in_values_names_the_line(helmlab: HelmLab) -> None:
    helmlab.edit("demo", 'values={"greeting": "hello"}',
                 'values={"greeting": "hello", "db": {"password": "secret/shop#db"}}')
    with pytest.raises(CatalogError, match=r"stacks/demo/stack.py:6.*values.db.password holds a "
                                           r"secret reference.*existingSecret"):
        load(helmlab.root)


def test_unknown_keyword_names_the_line(helmlab: HelmLab) -> None:
    helmlab.edit("demo", 'version="1.0.0",', 'version="1.0.0", valuez={},')
    # the line that holds the misspelt keyword (the call starts a line above)
    with pytest.raises(CatalogError,
                       match=r"stacks/demo/stack.py:7: helm_release\(\) got an unexpected "
                             r"keyword 'valuez' \(did you mean 'values'\?\)"):
        load(helmlab.root)


def test_digest_mismatch_is_refused_and_nothing_applied(helmlab: HelmLab) -> None:
    render_all(load(helmlab.root))  # the first pull records the digest
    lock = helmlab.root / "charts.lock"
    recorded = lock.read_text()
    digest = recorded.split("digest: sha256:")[1][:64]
    lock.write_text(recorded.replace(digest, "0" * 64))
    done = _homestack(helmlab, "apply", "--yes")
    assert done.returncode == 3, done.stderr
    assert "charts.lock" in done.stderr and f"sha256:{'0' * 64}" in done.stderr
    assert "demo 1.0.0" in done.stderr
    assert not any(r.method in ("PATCH", "POST", "DELETE") for r in helmlab.server.requests)


def test_validate_works_offline_after_one_pull(helmlab: HelmLab,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    assert _homestack(helmlab, "validate").returncode == 0
    pulled = len(helmlab.repository.requests)
    assert pulled >= 2  # index.yaml and the archive
    url = helmlab.repository.url
    helmlab.repository.stop()
    again = _homestack(helmlab, "validate")
    assert again.returncode == 0, again.stderr
    assert "Pulling" not in again.stderr
    monkeypatch.setenv("HOMESTACK_CHART_CACHE", str(helmlab.root / "empty-cache"))
    cold = _homestack(helmlab, "validate")
    # The repository is down: the run failed (exit 1), the input is fine (never exit 3).
    assert cold.returncode == 1, cold.stderr
    assert "stacks/demo/stack.py:6" in cold.stderr
    assert f"cannot reach the chart repository {url}" in cold.stderr
    assert "HOMESTACK_CHART_MIRROR" in cold.stderr


def test_a_repository_that_answers_without_the_version_is_invalid_input(
        helmlab: HelmLab, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOMESTACK_CHART_CACHE", str(helmlab.root / "empty-cache"))
    helmlab.edit("demo", 'version="1.0.0"', 'version="9.9.9"')
    done = _homestack(helmlab, "validate")
    assert done.returncode == 3, done.stderr
    assert "cannot pull chart demo 9.9.9" in done.stderr and "stacks/demo/stack.py:6" in done.stderr


def test_the_homelab_s_own_chart_cache_serves_without_any_setting(
        helmlab: HelmLab, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """What bin/main fills (the homelab's .homestack/charts) is found with no variable set."""
    kept = tmp_path / "pulled"
    monkeypatch.setenv("HOMESTACK_CHART_CACHE", str(kept))
    assert _homestack(helmlab, "validate").returncode == 0
    own = helmlab.root / ".homestack" / "charts"
    own.parent.mkdir(exist_ok=True)
    shutil.copytree(kept / "sha256", own / "sha256")
    helmlab.repository.stop()
    monkeypatch.delenv("HOMESTACK_CHART_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "empty-user-cache"))
    monkeypatch.setenv("HOMESTACK_RENDER_CACHE", "off")
    done = _homestack(helmlab, "validate")
    assert done.returncode == 0, done.stderr
    assert "Pulling" not in done.stderr


def test_site_setting_names_the_mirror(helmlab: HelmLab, monkeypatch: pytest.MonkeyPatch
                                       ) -> None:
    monkeypatch.delenv("HOMESTACK_CHART_MIRROR")
    site = helmlab.root / "site.py"
    text = site.read_text()
    assert "from homestack import " in text
    text = text.replace("from homestack import ", "from homestack import ChartSettings, ")
    site.write_text(text.replace('    name="kubelab",',
                                 f'    name="kubelab",\n    charts=ChartSettings('
                                 f'mirror="{helmlab.repository.url}"),'))
    rendered = render_all(load(helmlab.root)).resources["demo"]
    assert any(r.object_name == "shop-web" for r in rendered)
    assert "/index.yaml" in helmlab.repository.requests


def test_missing_sdk_names_the_extra(helmlab: HelmLab, monkeypatch: pytest.MonkeyPatch,
                                     tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "helm_python", None)  # as if the extra were not installed
    with pytest.raises(CatalogError, match=r"homestack\[helm\]"):
        render_all(load(helmlab.root))

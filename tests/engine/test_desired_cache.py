"""The render cache gives back the checked homelab only while nothing it was made from changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from homestack.catalog import load
from homestack.engine import desired
from homestack.engine.desired_cache import Checked, cache_dir, cached
from homestack.policy import check_homelab
from homestack_testing.homelabs import copy_homelab


@pytest.fixture
def lab(small_homelab: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOMESTACK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("HOMESTACK_RENDER_CACHE", raising=False)
    root = tmp_path / "lab"
    copy_homelab(small_homelab, root)
    return root


class _Maker:
    """Loads and checks the homelab, counting how often it had to."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.calls = 0

    def __call__(self) -> Checked:
        self.calls += 1
        wanted = desired(load(self.root))
        return Checked(wanted, tuple(check_homelab(wanted.homelab, wanted.resources)))


def _image(checked: Checked) -> str:
    [deployment] = [r for r in checked.desired.resources["whoami"]
                    if r.k8s_kind == "Deployment"]
    return str(deployment.body["spec"]["template"]["spec"]["containers"][0]["image"])


def test_a_second_use_is_a_hit_with_the_same_value(lab: Path) -> None:
    make = _Maker(lab)
    first = cached(lab, "offline", make)
    second = cached(lab, "offline", make)
    assert (first.hit, second.hit, make.calls) == (False, True, 1)
    assert second.checked.desired.resources == first.checked.desired.resources
    assert second.checked.findings == first.checked.findings
    assert second.checked.desired.graph.waves == first.checked.desired.graph.waves


def test_an_edited_stack_file_is_a_miss_and_the_edit_is_seen(lab: Path) -> None:
    make = _Maker(lab)
    cached(lab, "offline", make)
    stack = lab / "stacks" / "whoami" / "stack.py"
    stack.write_text(stack.read_text().replace("whoami:v1.10.3", "whoami:v1.11.0"))
    again = cached(lab, "offline", make)
    assert not again.hit
    assert again.why == f"{stack} changed"
    assert _image(again.checked) == "docker.io/traefik/whoami:v1.11.0"
    assert cached(lab, "offline", make).hit


def test_a_new_stack_folder_is_a_miss(lab: Path) -> None:
    make = _Maker(lab)
    cached(lab, "offline", make)
    shutil.copytree(lab / "stacks" / "notes", lab / "stacks" / "notes2")
    (lab / "stacks" / "notes2" / "stack.py").write_text(
        (lab / "stacks" / "notes2" / "stack.py").read_text().replace('"notes"', '"notes2"'))
    again = cached(lab, "offline", make)
    assert not again.hit and "notes2" in again.checked.desired.resources


def test_an_environment_variable_a_stack_file_reads_is_an_input(
        lab: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stack = lab / "stacks" / "whoami" / "stack.py"
    stack.write_text("import os\n" + stack.read_text().replace(
        '"docker.io/traefik/whoami:v1.10.3"',
        'os.environ.get("HS_TEST_WHOAMI", "docker.io/traefik/whoami:v1.10.3")'))
    make = _Maker(lab)
    assert _image(cached(lab, "offline", make).checked).endswith("v1.10.3")
    monkeypatch.setenv("HS_TEST_WHOAMI", "docker.io/traefik/whoami:v1.11.0")
    again = cached(lab, "offline", make)
    assert (again.hit, again.why) == (False, "$HS_TEST_WHOAMI changed")
    assert _image(again.checked).endswith("v1.11.0")


def test_variants_are_kept_apart(lab: Path) -> None:
    make = _Maker(lab)
    cached(lab, "offline", make)
    assert not cached(lab, "cluster:abc", make).hit
    assert cached(lab, "offline", make).hit and cached(lab, "cluster:abc", make).hit


def test_the_cache_can_be_turned_off(lab: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOMESTACK_RENDER_CACHE", "off")
    make = _Maker(lab)
    cached(lab, "offline", make)
    assert not cached(lab, "offline", make).hit
    assert make.calls == 2 and not cache_dir().exists()


def test_a_broken_entry_is_a_miss_not_an_error(lab: Path) -> None:
    make = _Maker(lab)
    cached(lab, "offline", make)
    [entry] = cache_dir().iterdir()
    entry.write_bytes(entry.read_bytes()[:100])
    again = cached(lab, "offline", make)
    assert not again.hit and again.why.startswith("unreadable entry")
    assert cached(lab, "offline", make).hit  # replaced by a good one


def test_a_value_that_cannot_be_kept_is_still_returned(lab: Path) -> None:
    def make() -> Checked:
        checked = _Maker(lab)()
        checked.notes["whoami"] = [lambda: None]  # type: ignore[list-item]
        return checked

    assert not cached(lab, "offline", make).hit
    assert not cached(lab, "offline", make).hit  # nothing was kept


def test_a_failed_render_keeps_nothing(lab: Path) -> None:
    stack = lab / "stacks" / "whoami" / "stack.py"
    good = stack.read_text()
    stack.write_text(good + "\nraise RuntimeError('broken')\n")
    with pytest.raises(Exception, match="broken"):
        cached(lab, "offline", _Maker(lab))
    stack.write_text(good)
    assert not cached(lab, "offline", _Maker(lab)).hit


def test_entries_are_private_to_the_user(lab: Path) -> None:
    cached(lab, "offline", _Maker(lab))
    [entry] = cache_dir().iterdir()
    assert cache_dir().stat().st_mode & 0o077 == 0
    assert entry.stat().st_mode & 0o077 == 0

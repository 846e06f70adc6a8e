"""The render cache gives back the checked homelab only while nothing it was made from changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from homestack.engine.desired_cache import cache_dir, checked
from homestack.engine.incremental import Checked
from homestack_testing.homelabs import copy_homelab


@pytest.fixture
def lab(small_homelab: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOMESTACK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("HOMESTACK_RENDER_CACHE", raising=False)
    root = tmp_path / "lab"
    copy_homelab(small_homelab, root)
    return root


def _image(value: Checked) -> str:
    [deployment] = [r for r in value.desired.resources["whoami"]
                    if r.k8s_kind == "Deployment"]
    return str(deployment.body["spec"]["template"]["spec"]["containers"][0]["image"])


def test_a_second_use_is_a_hit_with_the_same_value(lab: Path) -> None:
    first = checked(lab, "offline")
    second = checked(lab, "offline")
    assert (first.hit, second.hit) == (False, True)
    assert (len(first.rendered), second.rendered) == (4, ())
    assert second.checked.desired.resources == first.checked.desired.resources
    assert second.checked.findings == first.checked.findings
    assert second.checked.desired.graph.waves == first.checked.desired.graph.waves


def test_an_edited_stack_file_is_a_miss_and_the_edit_is_seen(lab: Path) -> None:
    checked(lab, "offline")
    stack = lab / "stacks" / "whoami" / "stack.py"
    stack.write_text(stack.read_text().replace("whoami:v1.10.3", "whoami:v1.11.0"))
    again = checked(lab, "offline")
    assert (again.hit, again.why, again.rendered) == (False, f"{stack} changed", ("whoami",))
    assert _image(again.checked) == "docker.io/traefik/whoami:v1.11.0"
    assert checked(lab, "offline").hit


def test_a_new_stack_folder_is_a_miss(lab: Path) -> None:
    checked(lab, "offline")
    shutil.copytree(lab / "stacks" / "notes", lab / "stacks" / "notes2")
    (lab / "stacks" / "notes2" / "stack.py").write_text(
        (lab / "stacks" / "notes2" / "stack.py").read_text().replace('"notes"', '"notes2"'))
    again = checked(lab, "offline")
    assert not again.hit and "notes2" in again.checked.desired.resources
    assert again.rendered == ("notes2",)  # the others are reused


def test_an_environment_variable_a_stack_file_reads_is_an_input(
        lab: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stack = lab / "stacks" / "whoami" / "stack.py"
    stack.write_text("import os\n" + stack.read_text().replace(
        '"docker.io/traefik/whoami:v1.10.3"',
        'os.environ.get("HS_TEST_WHOAMI", "docker.io/traefik/whoami:v1.10.3")'))
    assert _image(checked(lab, "offline").checked).endswith("v1.10.3")
    monkeypatch.setenv("HS_TEST_WHOAMI", "docker.io/traefik/whoami:v1.11.0")
    again = checked(lab, "offline")
    assert (again.hit, again.why, again.rendered) == (False, "$HS_TEST_WHOAMI changed",
                                                      ("whoami",))
    assert _image(again.checked).endswith("v1.11.0")


def test_variants_are_kept_apart(lab: Path) -> None:
    checked(lab, "offline")
    assert not checked(lab, "cluster:abc").hit
    assert checked(lab, "offline").hit and checked(lab, "cluster:abc").hit


def test_the_cache_can_be_turned_off(lab: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOMESTACK_RENDER_CACHE", "off")
    checked(lab, "offline")
    again = checked(lab, "offline")
    assert (again.hit, len(again.rendered)) == (False, 4)
    assert not cache_dir().exists()


def test_a_broken_entry_is_a_miss_not_an_error(lab: Path) -> None:
    checked(lab, "offline")
    [entry] = cache_dir().iterdir()
    entry.write_bytes(entry.read_bytes()[:100])
    again = checked(lab, "offline")
    assert not again.hit and again.why.startswith("unreadable entry")
    assert len(again.rendered) == 4  # nothing of a damaged entry is reused
    assert checked(lab, "offline").hit  # replaced by a good one


def test_a_value_that_cannot_be_kept_is_still_returned(lab: Path) -> None:
    stack = lab / "stacks" / "whoami" / "stack.py"  # a lambda kept in a Stack cannot be pickled
    stack.write_text(stack.read_text() + "\nstack.__dict__['_kept'] = lambda: None\n")
    assert not checked(lab, "offline").hit
    assert not checked(lab, "offline").hit  # nothing was kept


def test_a_failed_render_keeps_nothing(lab: Path) -> None:
    stack = lab / "stacks" / "whoami" / "stack.py"
    good = stack.read_text()
    stack.write_text(good + "\nraise RuntimeError('broken')\n")
    with pytest.raises(Exception, match="broken"):
        checked(lab, "offline")
    stack.write_text(good)
    assert not checked(lab, "offline").hit


def test_entries_are_private_to_the_user(lab: Path) -> None:
    checked(lab, "offline")
    [entry] = cache_dir().iterdir()
    assert cache_dir().stat().st_mode & 0o077 == 0
    assert entry.stat().st_mode & 0o077 == 0


def test_a_stack_that_runs_a_subprocess_is_rendered_every_time(lab: Path) -> None:
    """A subprocess's reads are its own: the Stack that ran one is never reused, so what
    the subprocess read (a file outside every recorded input) is seen as soon as it moves."""
    tag = lab.parent / "tag.txt"  # outside the homelab: no recorded read would catch it
    tag.write_text("v1.10.3")
    stack = lab / "stacks" / "whoami" / "stack.py"
    stack.write_text("import subprocess\n" + stack.read_text().replace(
        '"docker.io/traefik/whoami:v1.10.3"',
        f'"docker.io/traefik/whoami:" + subprocess.run(["cat", "{tag}"], '
        'capture_output=True, text=True, check=True).stdout.strip()'))
    first = checked(lab, "offline")
    assert _image(first.checked) == "docker.io/traefik/whoami:v1.10.3"
    tag.write_text("v1.11.0")
    again = checked(lab, "offline")
    assert not again.hit and again.rendered == ("whoami",)  # the other Stacks are reused
    assert "uncacheable: ran a subprocess" in again.why
    assert _image(again.checked) == "docker.io/traefik/whoami:v1.11.0"


def test_native_code_is_uncacheable_unless_declared(tmp_path: Path) -> None:
    """Helm's engine (declared: its inputs are the archive, values and release) keeps a
    release cacheable; a library a stack file loads itself does not."""
    import ctypes
    import ctypes.util

    from homestack.catalog.inputs import declared, recording

    library = ctypes.util.find_library("c") or "libc.so.6"
    with recording(tmp_path) as found, declared():
        ctypes.CDLL(library).getpid()
    assert found[0].changed() is None
    with recording(tmp_path) as found:
        ctypes.CDLL(library).getpid()
    assert found[0].changed() == f"uncacheable: ran native code ({library})"

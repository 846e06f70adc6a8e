"""Loading a homelab: Site, Stacks, file-backed components, render order."""

from __future__ import annotations

from pathlib import Path

from homestack.catalog import load, render_all
from homestack_testing.homelabs import copy_homelab


def test_loads_site_and_every_stack(small_homelab: Path) -> None:
    homelab = load(small_homelab)
    assert homelab.site.name == "small"
    assert sorted(homelab.stacks) == ["notes", "platform", "traefik", "whoami"]
    assert homelab.stack_files["whoami"].name == "stack.py"


def test_stack_namespace_defaults_to_its_name(small_homelab: Path) -> None:
    homelab = load(small_homelab)
    assert homelab.stacks["whoami"].namespace == "whoami"


def test_raw_yaml_file_is_read_next_to_the_stack(small_homelab: Path) -> None:
    rendered = render_all(load(small_homelab), ["platform"])
    [configmap] = [r for r in rendered.resources["platform"] if r.k8s_kind == "ConfigMap"]
    assert configmap.address == "k8s:v1:ConfigMap:platform/cluster-settings"
    assert configmap.body["data"]["publicDomain"] == "example.org"


def test_multi_instance_function_declares_one_object_per_user(small_homelab: Path) -> None:
    rendered = render_all(load(small_homelab), ["notes"])
    names = [r.object_name for r in rendered.resources["notes"] if r.k8s_kind == "ConfigMap"]
    assert names == ["notes-alice", "notes-bob"]


def test_reload_sees_edited_stack_file(tmp_path: Path, small_homelab: Path) -> None:

    copy = tmp_path / "lab"
    copy_homelab(small_homelab, copy)
    stack_file = copy / "stacks" / "whoami" / "stack.py"
    stack_file.write_text(stack_file.read_text().replace('"replicas": 1', '"replicas": 2'))
    rendered = render_all(load(copy), ["whoami"])
    assert rendered.resources["whoami"][0].body["spec"]["replicas"] == 2


def test_stack_files_may_use_dataclasses(tmp_path: Path, small_homelab: Path) -> None:

    copy = tmp_path / "lab"
    copy_homelab(small_homelab, copy)
    stack_file = copy / "stacks" / "notes" / "stack.py"
    stack_file.write_text(
        "from dataclasses import dataclass\n" + stack_file.read_text()
        + "\n\n@dataclass(frozen=True)\nclass Person:\n    name: str\n\n"
        "raw(stack, {'apiVersion': 'v1', 'kind': 'ConfigMap',"
        " 'metadata': {'name': Person('carol').name}})\n"
    )
    rendered = render_all(load(copy), ["notes"])
    assert "carol" in [r.object_name for r in rendered.resources["notes"]]

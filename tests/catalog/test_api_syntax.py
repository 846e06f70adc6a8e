"""Names, labels, ports and Site fields the apiserver (or Proxmox) would refuse fail validate."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from homestack.cli import app
from homestack.model import apisyntax
from homestack_testing.homelabs import copy_homelab

WHOAMI = "stacks/whoami/stack.py"


def _broken(tmp_path: Path, small_homelab: Path, file: str, old: str, new: str) -> Path:
    root = tmp_path / "lab"
    copy_homelab(small_homelab, root)
    path = root / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return root


CASES = {
    "bad-name": (WHOAMI, '"name": "whoami", "labels"', '"name": "Bad_Name/../x", "labels"',
                 "stacks/whoami/stack.py:8", "metadata.name: must be a DNS subdomain"),
    "long-name": (WHOAMI, '"name": "whoami", "labels"', f'"name": "{"a" * 300}", "labels"',
                  "stacks/whoami/stack.py:8", "must be at most 253 characters (has 300)"),
    "label-space": (WHOAMI, '"labels": {"app": "whoami"}', '"labels": {"app": "who ami"}',
                    "stacks/whoami/stack.py:8", "metadata.labels['app']: value must be"),
    "label-key": (WHOAMI, '"labels": {"app": "whoami"}', '"labels": {"a b/c": "x"}',
                  "stacks/whoami/stack.py:8", "metadata.labels['a b/c']: key prefix"),
    "template-label": (WHOAMI, '"metadata": {"labels": {"app": "whoami"}}',
                       '"metadata": {"labels": {"app": "' + "x" * 64 + '"}}',
                       "stacks/whoami/stack.py:8",
                       "spec.template.metadata.labels['app']: value must be at most 63"),
    "port-high": (WHOAMI, '"image"', '"ports": [{"containerPort": 70000}], "image"',
                  "stacks/whoami/stack.py:8",
                  "spec.template.spec.containers[0].ports[0].containerPort: must be between "
                  "1 and 65535 (got 70000)"),
    "service-port": ("stacks/traefik/stack.py", '"port": 443', '"port": 0',
                     "stacks/traefik/stack.py:8", "spec.ports[0].port: must be between 1"),
    "target-port-name": ("stacks/traefik/stack.py", '"targetPort": 8443',
                         '"targetPort": "Web_Secure"', "stacks/traefik/stack.py:8",
                         "spec.ports[0].targetPort: must be lowercase"),
    "service-name": ("stacks/traefik/stack.py", '"metadata": {"name": "traefik"},\n        "spec"',
                     '"metadata": {"name": "1traefik"},\n        "spec"',
                     "stacks/traefik/stack.py:8", "must be a DNS-1035 label"),
    "container-name": (WHOAMI, '"name": "whoami",\n                "image"',
                       '"name": "Who",\n                "image"', "stacks/whoami/stack.py:8",
                       "spec.template.spec.containers[0].name: must be a DNS label"),
    "claims-kube-system": (WHOAMI, 'Stack("whoami",', 'Stack("whoami", namespace="kube-system",',
                           "stacks/whoami/stack.py:7", "the cluster owns Namespace 'kube-system'"),
    "claims-default": ("stacks/notes/stack.py", 'Stack("notes",',
                       'Stack("notes", namespace="default",',
                       "stacks/notes/stack.py:7", "the cluster owns Namespace 'default'"),
    "replicas-string": (WHOAMI, "raw(stack, {", 'from homestack.kit import deployment\n'
                        'deployment(stack, "web", image="docker.io/traefik/whoami:v1.10.3", '
                        'memory="32Mi", cpu="10m", replicas="3")\nraw(stack, {',
                        "stacks/whoami/stack.py:9",
                        "deployment: replicas='3' must be a whole number, not str"),
    "raw-list-of-str": (WHOAMI, "raw(stack, {", "raw(stack, ['x'])\nraw(stack, {",
                        "stacks/whoami/stack.py:8", "raw manifests[0] is a str ('x')"),
    "vm-name": ("site.py", 'name="k8s-node1"', 'name="k8s node1/../x"', "site.py:34",
                "invalid Vm: name: Value error, must be a DNS name"),
    "host-memory": ("site.py", 'memory="64Gi"', 'memory="64 gigs"', "site.py:24",
                    "invalid PveHost: memory: Value error, must be a byte quantity"),
    "disk-size": ("site.py", 'size="64Gi"', 'size="lots"', "site.py:31",
                  "invalid Disk: size: Value error"),
    "lb-address": ("site.py", 'shared_ip="10.0.20.200"', 'shared_ip="ten"', "site.py:40",
                   "invalid LbPool: shared_ip: Value error"),
    "domain": ("site.py", 'public="example.org"', 'public="Example Org"', "site.py:39",
               "invalid Domains: public: Value error"),
    "site-name": ("site.py", 'name="small"', 'name="Small Lab"', "site.py:",
                  "name: Value error, must be a DNS label"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_invalid_names_labels_ports_and_site_fields_fail_validate(
    case: str, tmp_path: Path, small_homelab: Path
) -> None:
    file, old, new, location, text = CASES[case]
    root = _broken(tmp_path, small_homelab, file, old, new)
    result = CliRunner().invoke(app, ["-C", str(root), "validate"])
    output = " ".join(result.output.split())
    assert result.exit_code == 3, result.output
    assert location in output
    assert text in output
    assert "Traceback" not in output


def test_a_stack_may_place_objects_in_kube_system_without_declaring_it(
    tmp_path: Path, small_homelab: Path
) -> None:
    root = _broken(tmp_path, small_homelab, WHOAMI, 'Stack("whoami",',
                   'Stack("whoami", namespace="kube-system",')
    path = root / WHOAMI
    path.write_text(path.read_text().replace("namespace(stack)\n", ""))
    result = CliRunner().invoke(app, ["-C", str(root), "validate"])
    assert result.exit_code == 0, result.output


def test_long_valid_names_get_file_names_the_file_system_accepts(
    tmp_path: Path, small_homelab: Path
) -> None:
    long_name = ".".join(["a" * 63] * 4)[:253].rstrip(".")
    root = _broken(tmp_path, small_homelab, WHOAMI, '"name": "whoami", "labels"',
                   f'"name": "{long_name}", "labels"')
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["-C", str(root), "render", "-o", str(out)])
    assert result.exit_code == 0, result.output
    names = [p.name for p in (out / "whoami").iterdir()]
    assert all(len(name.encode()) <= 255 for name in names)
    assert any(name.startswith("deployment-whoami-aaaa") for name in names)


@pytest.mark.parametrize(("check", "good", "bad"), [
    (apisyntax.check_dns_label, ["a", "a-1", "x" * 63], ["", "A", "-a", "a-", "x" * 64, "a.b"]),
    (apisyntax.check_subdomain, ["a.b-c", "x" * 253], ["a..b", "x" * 254, "a_b", "a/b"]),
    (apisyntax.check_qualified_name, ["app", "example.com/a_b.c", "A"],
     ["", "/a", "a/", "Ex.com/a", "a b", "x" * 64, "a/b/c"]),
    (apisyntax.check_label_value, ["", "a", "A-b_c.d", "x" * 63], ["a b", "-a", "x" * 64, 3]),
    (apisyntax.check_port_name, ["http", "h2c", "a-b"], ["", "80", "a--b", "HTTP", "x" * 16]),
    (apisyntax.check_port_number, [1, 65535], [0, 65536, "80", True]),
    (apisyntax.check_path_segment, ["system:controller:x"], ["", ".", "..", "a/b", "a%b"]),
])
def test_syntax_rules_match_the_apiserver(check: object, good: list[object],
                                          bad: list[object]) -> None:
    assert callable(check)
    assert [value for value in good if check(value)] == []
    assert [value for value in bad if not check(value)] == []

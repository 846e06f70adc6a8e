"""A hundred-odd broken homelabs, each the small example with one fault: every one is refused.

For each: ``apply --yes`` exits 3, prints exactly one line that names the homelab file (with
its line when there is one) or the field, shows no traceback, and writes nothing: no state,
no GitOps repository.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from homestack.cli import app
from homestack_testing.homelabs import copy_homelab

STACKS = ("notes", "platform", "traefik", "whoami")
FILES = ("site.py", *(f"stacks/{name}/stack.py" for name in STACKS))
SETTINGS = "stacks/platform/settings.yaml"


@dataclass(frozen=True)
class Fault:
    """One fault: what to do to a fresh copy, and the file the message must name."""

    id: str
    apply: Callable[[Path], None]
    names: str


def _replace(file: str, old: str, new: str) -> Callable[[Path], None]:
    def damage(root: Path) -> None:
        path = root / file
        text = path.read_text()
        assert old in text, f"{old!r} not in {file}"
        path.write_text(text.replace(old, new, 1))

    return damage


def _append(file: str, code: str) -> Callable[[Path], None]:
    def damage(root: Path) -> None:
        path = root / file
        path.write_text(path.read_text() + code)

    return damage


def _write(file: str, data: bytes) -> Callable[[Path], None]:
    def damage(root: Path) -> None:
        (root / file).write_bytes(data)

    return damage


def _bytes_at(file: str, offset: int, data: bytes) -> Callable[[Path], None]:
    def damage(root: Path) -> None:
        path = root / file
        raw = path.read_bytes()
        path.write_bytes(raw[:offset] + data + raw[offset:])

    return damage


def _unreadable(file: str, how: str) -> Callable[[Path], None]:
    def damage(root: Path) -> None:
        path = root / file
        path.unlink()
        if how == "dangling":
            path.symlink_to(path.parent / "gone.py")
        elif how == "loop":
            os.symlink(path.name, path)
        elif how == "directory":
            path.mkdir()

    return damage


def _python_faults() -> list[Fault]:
    faults = []
    for file in FILES:
        key = file.split("/")[1] if "/" in file else "site"
        code = {
            "syntax-paren": "\nx = (1,\n",
            "syntax-indent": "\nif True:\nprint('x')\n",
            "syntax-string": "\nx = 'unterminated\n",
            "name-error": "\nundefined_name + 1\n",
            "key-error": "\n{}['missing']\n",
            "zero-division": "\n1 / 0\n",
            "import-error": "\nimport homestack_no_such_module\n",
            "attribute-error": "\nimport homestack\nhomestack.no_such_helper()\n",
            "type-error": "\nlen(5)\n",
            "sys-exit-0": "\nimport sys\nsys.exit(0)\n",
            "raise-systemexit": "\nraise SystemExit('stop')\n",
            "assert": "\nassert False, 'boom'\n",
            "recursion": "\ndef f(n):\n    return f(n + 1)\nf(0)\n",
        }
        faults += [Fault(f"{key}-{name}", _append(file, text), file)
                   for name, text in code.items()]
        faults.append(Fault(f"{key}-undecodable", _bytes_at(file, 10, b"\xff\xfe"), file))
        faults.append(Fault(f"{key}-latin1", _bytes_at(file, 0, b"# caf\xe9\n"), file))
        faults.append(Fault(f"{key}-null-byte", _bytes_at(file, 5, b"\x00"), file))
    return faults


def _stack_faults() -> list[Fault]:
    faults = []
    for name in STACKS:
        file = f"stacks/{name}/stack.py"
        header = f'stack = Stack("{name}", '
        faults += [
            Fault(f"{name}-bad-name", _replace(file, f'Stack("{name}"', 'Stack("Bad_Name"'),
                  file),
            Fault(f"{name}-folder-mismatch", _replace(file, f'Stack("{name}"', 'Stack("other"'),
                  file),
            Fault(f"{name}-unknown-need", _replace(file, header, header + 'needs=["ghost"], '),
                  file),
            Fault(f"{name}-unknown-field", _replace(file, header, header + "colour=1, "), file),
            Fault(f"{name}-bad-tier", _append(file, '\nstack.tier = "9-nope"\n'), file),
            Fault(f"{name}-two-stacks", _append(file, f'\nagain = Stack("{name}")\n'), file),
            Fault(f"{name}-no-stack", _append(file, "\ndel stack\n"), file),
            Fault(f"{name}-bad-namespace", _replace(file, header, header + 'namespace="A B", '),
                  file),
            Fault(f"{name}-claims-kube-system",
                  _replace(file, header, header + 'namespace="kube-system", '), file),
            Fault(f"{name}-raw-str-list", _append(file, "\nraw(stack, ['x'])\n"), file),
            Fault(f"{name}-raw-no-kind",
                  _append(file, '\nraw(stack, {"apiVersion": "v1", "metadata": {"name": "a"}})\n'),
                  file),
            Fault(f"{name}-raw-no-name",
                  _append(file, '\nraw(stack, {"apiVersion": "v1", "kind": "ConfigMap"})\n'),
                  file),
            Fault(f"{name}-raw-missing-file", _append(file, '\nraw(stack, "missing.yaml")\n'),
                  file),
            Fault(f"{name}-dangling-stack-file", _unreadable(file, "dangling"), file),
            Fault(f"{name}-stack-file-loop", _unreadable(file, "loop"), file),
            Fault(f"{name}-stack-file-is-a-directory", _unreadable(file, "directory"), file),
            Fault(f"{name}-stack-file-deleted", _unreadable(file, "deleted"), file),
        ]
    return faults


def _configmap(**fields: str) -> str:
    metadata = fields.pop("metadata", '{"name": "x"}')
    extra = "".join(f', "{k}": {v}' for k, v in fields.items())
    return (f'\nraw(stack, {{"apiVersion": "v1", "kind": "ConfigMap", '
            f'"metadata": {metadata}{extra}}})\n')


WHOAMI = "stacks/whoami/stack.py"
TRAEFIK = "stacks/traefik/stack.py"

MANIFEST_FAULTS = [
    Fault("name-path-traversal", _append(WHOAMI, _configmap(metadata='{"name": "Bad_Name/../x"}')),
          WHOAMI),
    Fault("name-too-long", _append(WHOAMI, _configmap(metadata='{"name": "' + "a" * 300 + '"}')),
          WHOAMI),
    Fault("name-uppercase", _append(WHOAMI, _configmap(metadata='{"name": "Settings"}')), WHOAMI),
    Fault("label-value-space",
          _append(WHOAMI, _configmap(metadata='{"name": "x", "labels": {"a": "b c"}}')), WHOAMI),
    Fault("label-value-long",
          _append(WHOAMI, _configmap(metadata='{"name": "x", "labels": {"a": "' + "b" * 64
                                     + '"}}')), WHOAMI),
    Fault("label-key-bad-prefix",
          _append(WHOAMI, _configmap(metadata='{"name": "x", "labels": {"A_B/c": "d"}}')),
          WHOAMI),
    Fault("label-value-number",
          _append(WHOAMI, _configmap(metadata='{"name": "x", "labels": {"a": 3}}')), WHOAMI),
    Fault("annotation-key-space",
          _append(WHOAMI, _configmap(metadata='{"name": "x", "annotations": {"a b": "c"}}')),
          WHOAMI),
    Fault("namespace-invalid",
          _append(WHOAMI, _configmap(metadata='{"name": "x", "namespace": "Not/Valid"}')),
          WHOAMI),
    Fault("duplicate-address", _append(WHOAMI, _configmap() + _configmap()), WHOAMI),
    Fault("port-70000", _replace(TRAEFIK, '"port": 443', '"port": 70000'), TRAEFIK),
    Fault("port-zero", _replace(TRAEFIK, '"port": 443', '"port": 0'), TRAEFIK),
    Fault("target-port-negative", _replace(TRAEFIK, '"targetPort": 8443', '"targetPort": -1'),
          TRAEFIK),
    Fault("target-port-bad-name", _replace(TRAEFIK, '"targetPort": 8443', '"targetPort": "A B"'),
          TRAEFIK),
    Fault("service-name-digit", _replace(TRAEFIK, '"name": "traefik"},\n        "spec"',
                                         '"name": "9traefik"},\n        "spec"'), TRAEFIK),
    Fault("container-port-high", _replace(WHOAMI, '"image"', '"ports": [{"containerPort": 99999}], '
                                                             '"image"'), WHOAMI),
    Fault("container-name-upper", _replace(WHOAMI, '"name": "whoami",\n                "image"',
                                           '"name": "WhoAmI",\n                "image"'), WHOAMI),
    Fault("selector-label-bad", _replace(WHOAMI, '"matchLabels": {"app": "whoami"}',
                                         '"matchLabels": {"app": "who ami"}'), WHOAMI),
    Fault("kit-replicas-string",
          _append(WHOAMI, '\nfrom homestack.kit import deployment\ndeployment(stack, "web", '
                  'image="docker.io/traefik/whoami:v1.10.3", memory="32Mi", cpu="10m", '
                  'replicas="3")\n'), WHOAMI),
    Fault("kit-bad-memory",
          _append(WHOAMI, '\nfrom homestack.kit import deployment\ndeployment(stack, "web", '
                  'image="docker.io/traefik/whoami:v1.10.3", memory="lots", cpu="10m")\n'),
          WHOAMI),
    Fault("kit-unpinned-name",
          _append(WHOAMI, '\nfrom homestack.kit import deployment\ndeployment(stack, "Web App", '
                  'image="docker.io/traefik/whoami:v1.10.3", memory="32Mi", cpu="10m")\n'),
          WHOAMI),
    Fault("kit-schedule-int",
          _append(WHOAMI, '\nfrom homestack.kit import cronjob\ncronjob(stack, "sync", schedule=5, '
                  'image="docker.io/traefik/whoami:v1.10.3", memory="32Mi", cpu="10m")\n'),
          WHOAMI),
    Fault("kit-args-string",
          _append(WHOAMI, '\nfrom homestack.kit import deployment\ndeployment(stack, "web", '
                  'image="docker.io/traefik/whoami:v1.10.3", memory="32Mi", cpu="10m", '
                  'args="--once")\n'), WHOAMI),
    Fault("kit-unknown-option",
          _append(WHOAMI, '\nfrom homestack.kit import deployment\ndeployment(stack, "web", '
                  'image="docker.io/traefik/whoami:v1.10.3", memory="32Mi", cpu="10m", '
                  'colour="red")\n'), WHOAMI),
    Fault("kit-name-int",
          _append(WHOAMI, '\nfrom homestack.kit import deployment\ndeployment(stack, 5, '
                  'image="docker.io/traefik/whoami:v1.10.3", memory="32Mi", cpu="10m")\n'),
          WHOAMI),
    Fault("raw-metadata-string",
          _append(WHOAMI, '\nraw(stack, {"apiVersion": "v1", "kind": "ConfigMap", '
                  '"metadata": "x"})\n'), WHOAMI),
    Fault("kit-port-high",
          _append(WHOAMI, '\nfrom homestack.kit import deployment\ndeployment(stack, "web", '
                  'image="docker.io/traefik/whoami:v1.10.3", memory="32Mi", cpu="10m", '
                  'port=70000)\n'), WHOAMI),
]

SETTINGS_FAULTS = [
    Fault("yaml-syntax", _write(SETTINGS, b"a: [1, 2\n"), "stacks/platform/stack.py"),
    Fault("yaml-tab-indent", _write(SETTINGS, b"a:\n\t- b\n"), "stacks/platform/stack.py"),
    Fault("yaml-undecodable", _write(SETTINGS, b"kind: ConfigMap\nx: \xff\n"),
          "stacks/platform/settings.yaml"),
    Fault("yaml-billion-laughs",
          _write(SETTINGS, ("kind: ConfigMap\n" + 'a: &a ["l","l","l","l","l","l","l","l","l"]\n'
                            + "".join(f"{n}: &{n} [" + ",".join([f"*{p}"] * 9) + "]\n"
                                      for p, n in zip("abcdefgh", "bcdefghi", strict=True))
                            ).encode()), "stacks/platform/stack.py"),
    Fault("yaml-100k-documents",
          _write(SETTINGS, b"---\napiVersion: v1\nkind: ConfigMap\n" * 100_000),
          "stacks/platform/stack.py"),
    Fault("yaml-recursive-alias", _write(SETTINGS, b"kind: ConfigMap\nx: &a [*a]\n"),
          "stacks/platform/stack.py"),
    Fault("yaml-python-tag", _write(SETTINGS, b"kind: !!python/object:os.system ls\n"),
          "stacks/platform/stack.py"),
    Fault("yaml-scalar-document", _write(SETTINGS, b"just a string\n"),
          "stacks/platform/stack.py"),
    Fault("yaml-list-document", _write(SETTINGS, b"- a\n- b\n"), "stacks/platform/stack.py"),
    Fault("yaml-no-kind", _write(SETTINGS, b"apiVersion: v1\nmetadata: {name: a}\n"),
          "stacks/platform/stack.py"),
    Fault("yaml-bad-name",
          _write(SETTINGS, b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a/../b}\n"),
          "stacks/platform/stack.py"),
    Fault("yaml-settings-deleted", lambda root: (root / SETTINGS).unlink(),
          "stacks/platform/stack.py"),
    Fault("yaml-claims-default",
          _write(SETTINGS, b"apiVersion: v1\nkind: Namespace\nmetadata: {name: default}\n"),
          "stacks/platform/stack.py"),
]

SITE = "site.py"
SITE_FAULTS = [
    Fault("site-bad-cidr", _replace(SITE, '"10.0.20.0/24", vlan', '"10.0.20.0/33", vlan'), SITE),
    Fault("site-vlan-5000", _replace(SITE, "vlan=20, gateway", "vlan=5000, gateway"), SITE),
    Fault("site-gateway-outside", _replace(SITE, 'gateway="10.0.20.1"', 'gateway="10.0.30.1"'),
          SITE),
    Fault("site-vm-id-low", _replace(SITE, "id=200", "id=5"), SITE),
    Fault("site-vm-name-path", _replace(SITE, 'name="k8s-node1"', 'name="k8s node1/../x"'), SITE),
    Fault("site-host-memory-words", _replace(SITE, 'memory="64Gi"', 'memory="64 gigs"'), SITE),
    Fault("site-vm-memory-millis", _replace(SITE, 'memory="8Gi"', 'memory="8m"'), SITE),
    Fault("site-disk-size", _replace(SITE, 'size="64Gi"', 'size="big"'), SITE),
    Fault("site-nic-ip", _replace(SITE, 'ip="10.0.20.100/24"', 'ip="10.0.20.300/24"'), SITE),
    Fault("site-domain-space", _replace(SITE, 'public="example.org"', 'public="example org"'),
          SITE),
    Fault("site-lb-reversed", _replace(SITE, 'first="10.0.20.200", last="10.0.20.210"',
                                       'first="10.0.20.210", last="10.0.20.200"'), SITE),
    Fault("site-lb-not-ip", _replace(SITE, 'shared_ip="10.0.20.200"', 'shared_ip="lb"'), SITE),
    Fault("site-unknown-field", _replace(SITE, 'name="small",', 'name="small", colour="red",'),
          SITE),
    Fault("site-missing-domains",
          _replace(SITE, '    domains=Domains(public="example.org", internal="home.arpa"),\n', ""),
          SITE),
    Fault("site-two-sites", _append(SITE, "\nother = site\nimport copy\nthird = copy.copy(site)\n"),
          SITE),
    Fault("site-no-site", _append(SITE, "\ndel site\n"), SITE),
    Fault("site-cores-zero", _replace(SITE, "cores=8, threads", "cores=0, threads"), SITE),
    Fault("site-bridge-space", _replace(SITE, 'bridge="vmbr0")', 'bridge="vm br0")'), SITE),
    Fault("site-user-role", _replace(SITE, "role=Role.ADMIN", 'role="god"'), SITE),
    Fault("site-name-upper", _replace(SITE, 'name="small",', 'name="Small Lab",'), SITE),
    Fault("site-deleted", lambda root: (root / SITE).unlink(), "site.py"),
]

FAULTS = [*_python_faults(), *_stack_faults(), *MANIFEST_FAULTS, *SETTINGS_FAULTS, *SITE_FAULTS]


def test_there_are_at_least_100_distinct_faults() -> None:
    assert len(FAULTS) >= 100
    assert len({fault.id for fault in FAULTS}) == len(FAULTS)


@pytest.mark.parametrize("fault", FAULTS, ids=lambda fault: fault.id)
def test_a_broken_homelab_is_refused_with_one_line_and_nothing_written(
    fault: Fault, tmp_path: Path, small_homelab: Path
) -> None:
    root = tmp_path / "lab"
    copy_homelab(small_homelab, root)
    fault.apply(root)
    result = CliRunner().invoke(app, ["-C", str(root), "apply", "--yes"],
                                env={"COLUMNS": "80"})
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.exit_code == 3, result.output
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""
    named = re.escape(fault.names) + r"(:\d+)?\b"
    assert re.search(named, lines[0]) or (fault.names == "site.py" and "no site.py" in lines[0]
                                          ), lines[0]
    assert not (root / ".homestack").exists()
    assert not (root / "state").exists()

"""Build the control-plane binary once per machine and keep it in a versioned cache.

The Go module beside this file requires ``k8s.io/kubernetes`` at one published release; its
``main.go`` dispatches ``apiserver | controller-manager | scheduler`` to the real commands.
The binary lands in ``~/.cache/homestack/controlplane/<kubernetes>-<go>/`` (or under
``$HOMESTACK_CONTROLPLANE_CACHE``) next to a stamp holding the digest of the module's
sources, so a changed ``main.go`` or ``go.mod`` builds again and an unchanged one never does.
A cold build compiles about 1,500 packages: ten minutes of CPU, a progress line meanwhile.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

MODULE = Path(__file__).resolve().parent
_SOURCES = ("go.mod", "go.sum", "main.go")
BINARY_NAME = "controlplane"


class BuildError(RuntimeError):
    """The control plane could not be built (no Go, no module proxy, a compile error)."""


@dataclass(frozen=True)
class Versions:
    """What the cache is keyed by."""

    kubernetes: str
    go: str

    @property
    def key(self) -> str:
        return f"{self.kubernetes}-{self.go}"


def kubernetes_version() -> str:
    """The ``k8s.io/kubernetes`` release the module requires (``v1.35.4``)."""
    found = re.search(r"^\s*(?:require\s+)?k8s\.io/kubernetes (v\S+)",
                      (MODULE / "go.mod").read_text(), re.MULTILINE)
    if found is None:
        raise BuildError(f"{MODULE / 'go.mod'}: k8s.io/kubernetes is not required")
    return found.group(1)


def go_binary() -> str:
    """The ``go`` command, or a BuildError saying how to get one."""
    found = shutil.which("go") or next(
        (p for p in ("/usr/local/go/bin/go", "/usr/lib/go/bin/go") if os.access(p, os.X_OK)),
        None)
    if found is None:
        raise BuildError("the Go toolchain is not installed: the control plane of the tests "
                         "is built from the k8s.io/kubernetes module (install Go 1.25 or newer)")
    return found


def versions() -> Versions:
    go = subprocess.run([go_binary(), "env", "GOVERSION"], capture_output=True, text=True,
                        check=True).stdout.strip()
    return Versions(kubernetes_version(), go)


def cache_root() -> Path:
    explicit = os.environ.get("HOMESTACK_CONTROLPLANE_CACHE")
    if explicit:
        return Path(explicit)
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "homestack" / "controlplane"


def sources_digest() -> str:
    digest = hashlib.sha256()
    for name in _SOURCES:
        digest.update(name.encode() + b"\0" + (MODULE / name).read_bytes() + b"\0")
    return digest.hexdigest()


def _ldflags(kubernetes: str) -> str:
    """Stamp the real version, or the server reports v0.0.0 and clients misjudge it."""
    major, minor = kubernetes.lstrip("v").split(".")[:2]
    stamp = {"gitVersion": kubernetes, "gitMajor": major, "gitMinor": minor,
             "gitTreeState": "clean", "buildDate": "1970-01-01T00:00:00Z"}
    flags = [f"-X k8s.io/component-base/version.{k}={v}" for k, v in stamp.items()]
    return " ".join(["-s", "-w", *flags])


def ensure_built(*, quiet: bool = False) -> Path:
    """The path of the control-plane binary, building it first when the cache lacks it."""
    wanted = versions()
    folder = cache_root() / wanted.key
    binary = folder / BINARY_NAME
    stamp = folder / "stamp.json"
    digest = sources_digest()
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another process may be building it right now
        if binary.exists() and stamp.exists() and \
                json.loads(stamp.read_text()).get("sources") == digest:
            return binary
        started = time.monotonic()
        _build(wanted, binary, quiet=quiet)
        stamp.write_text(json.dumps({"sources": digest, "kubernetes": wanted.kubernetes,
                                     "go": wanted.go,
                                     "build_seconds": round(time.monotonic() - started, 1)}))
    return binary


def _go_env() -> dict[str, str]:
    env = dict(os.environ)
    # go.sum pins every module; the checksum database is not reachable from every machine.
    env.setdefault("GONOSUMDB", "*")
    env.setdefault("GOFLAGS", "-mod=readonly")
    return env


def _build(wanted: Versions, binary: Path, *, quiet: bool) -> None:
    go, env = go_binary(), _go_env()
    progress = _Progress(quiet)
    progress.say(f"control plane: downloading the Go modules of Kubernetes {wanted.kubernetes}")
    listed = subprocess.run([go, "list", "-deps", "."], cwd=MODULE, env=env,
                            capture_output=True, text=True)
    if listed.returncode != 0:
        raise BuildError(f"go list failed in {MODULE}:\n{listed.stderr.strip()[-2000:]}")
    total = len(listed.stdout.split())
    partial = binary.with_suffix(".partial")
    command = [go, "build", "-v", "-trimpath", "-ldflags", _ldflags(wanted.kubernetes),
               "-o", str(partial), "."]
    process = subprocess.Popen(command, cwd=MODULE, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    done, tail = 0, []
    for line in process.stderr:
        line = line.strip()
        if re.fullmatch(r"[\w./~-]+", line):  # `go build -v` names each package it compiles
            done += 1
            progress.say(f"control plane: building Kubernetes {wanted.kubernetes} with "
                         f"{wanted.go}: {done}/{total} packages")
        else:
            tail.append(line)
    if process.wait() != 0:
        raise BuildError("go build of the control plane failed:\n" + "\n".join(tail[-40:]))
    partial.replace(binary)
    progress.finish(f"control plane: built {binary}")


class _Progress:
    """One line on stderr, rewritten in place on a terminal, one every half minute otherwise."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self.last = 0.0

    def say(self, text: str) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        if self.tty:
            sys.stderr.write("\r\033[K" + text)
        elif now - self.last >= 30.0:  # CI logs: a line every half minute
            sys.stderr.write(text + "\n")
        else:
            return
        self.last = now
        sys.stderr.flush()

    def finish(self, text: str) -> None:
        if not self.quiet:
            sys.stderr.write(("\r\033[K" if self.tty else "") + text + "\n")
            sys.stderr.flush()

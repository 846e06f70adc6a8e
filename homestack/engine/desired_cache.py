"""The checked homelab, kept between runs for as long as nothing it was made from changed.

Loading, rendering, governing and checking 140 Stacks takes a second or more; a no-op plan
needs none of it when the homelab is the one the last run saw. An entry is the ``Checked``
value (the desired homelab and its policy findings) with the ``Inputs`` that produced it (every
file read and folder listed under the homelab, every environment variable looked at) and the
fingerprint of the software that rendered it (Homestack's own source files, the installed
libraries, Python); there is one entry per homelab root and render variant (offline, or the
cluster's capabilities). An entry whose software or inputs changed, or that cannot be read
back, is a miss: the homelab is rendered again and the entry replaced. Nothing about an entry
is trusted beyond that: a wrong entry would be a wrong plan. Files outside the homelab that a
homelab file reads (a module on ``PYTHONPATH``) are not inputs: keep them in the repository.

Entries live in ``$HOMESTACK_CACHE_DIR/renders`` (default ``$XDG_CACHE_HOME/homestack`` or
``~/.cache/homestack``), readable by the user only; ``HOMESTACK_RENDER_CACHE=off`` turns the
cache off. A rendered homelab holds secret references, never values; one that holds a Secret
written with its values is not kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from homestack.catalog.inputs import Inputs, recording
from homestack.engine.desired import Desired
from homestack.policy import Finding

CACHE_DIR_ENV = "HOMESTACK_CACHE_DIR"
SWITCH_ENV = "HOMESTACK_RENDER_CACHE"
FORMAT = 1  # bump when the pickled shape changes in a way the software fingerprint misses


@dataclass(frozen=True)
class Checked:
    """The desired homelab, its policy findings and the notes rendering left by Stack."""

    desired: Desired
    findings: tuple[Finding, ...]
    notes: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Lookup:
    """The outcome of one cache use: the value, and whether it came from the cache (``why``
    says what was changed on a miss, for ``--debug``)."""

    checked: Checked
    hit: bool
    why: str = ""


def enabled() -> bool:
    """False when ``HOMESTACK_RENDER_CACHE`` turns the cache off."""
    return os.environ.get(SWITCH_ENV, "on").lower() not in ("0", "off", "false", "no")


def cache_dir() -> Path:
    """Where entries live."""
    explicit = os.environ.get(CACHE_DIR_ENV)
    if explicit:
        return Path(explicit) / "renders"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "homestack" / "renders"


def cached(root: Path, variant: str, make: Callable[[], Checked]) -> Lookup:
    """The entry of ``root`` and ``variant`` when its inputs are unchanged, else ``make()``
    (recorded, then kept). Errors from ``make`` propagate and nothing is kept."""
    root = root.resolve()
    if not enabled():
        return Lookup(make(), hit=False, why="the render cache is off")
    name = hashlib.sha256(f"{root}\0{variant}".encode()).hexdigest()[:40]
    path = cache_dir() / f"{name}.pickle"  # one entry per homelab and variant, replaced
    software = software_fingerprint()
    found, why = _read(path, software)
    if found is not None:
        return Lookup(found, hit=True)
    with recording(root) as inputs:
        checked = make()
    resources = checked.desired.all_resources()
    if any(r.holds_secret_values for r in resources):  # no value may land in the cache
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)  # an older entry of this homelab goes too
        return Lookup(checked, hit=False, why=why)
    for resource in resources:
        _ = resource.content_hash  # computed once, kept with the entry
    _write(path, _Header(FORMAT, software, inputs[0]), checked)
    return Lookup(checked, hit=False, why=why)


@dataclass(frozen=True)
class _Header:
    format: int
    software: str
    inputs: Inputs


def _read(path: Path, software: str) -> tuple[Checked | None, str]:
    try:
        with path.open("rb") as handle:
            header = pickle.load(handle)
            if not isinstance(header, _Header) or header.format != FORMAT:
                return None, "an entry of another format"
            if header.software != software:
                return None, "Homestack, its libraries or Python changed"
            changed = header.inputs.changed()
            if changed is not None:
                return None, f"{changed} changed"
            checked = pickle.load(handle)
    except FileNotFoundError:
        return None, "no entry yet"
    except Exception as exc:  # an unreadable entry is a miss, whatever broke
        return None, f"unreadable entry ({type(exc).__name__})"
    if not isinstance(checked, Checked):
        return None, "an entry of another format"
    return checked, ""


def _write(path: Path, header: _Header, checked: Checked) -> None:
    """Keep the entry (atomically); a value that cannot be kept is simply not cached."""
    try:
        payload = pickle.dumps(checked, protocol=pickle.HIGHEST_PROTOCOL)
        head = pickle.dumps(header, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # e.g. a lambda kept in a Stack: not cached
        return
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".entry-")
        with os.fdopen(handle, "wb") as out:
            out.write(head)
            out.write(payload)
        os.replace(temporary, path)
    except OSError:  # a read-only or full cache folder costs speed, never the run
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def software_fingerprint() -> str:
    """Homestack's source files (path, size, mtime), the library folder's mtime (changes when
    a package is installed or removed) and the Python version."""
    package = Path(__file__).resolve().parent.parent
    facts = [sys.version, str(os.stat(Path(os.__file__).parent).st_mtime_ns)]
    import pydantic  # the library folder: where the installed dependencies live

    facts.append(str(os.stat(Path(pydantic.__file__).parent.parent).st_mtime_ns))
    for folder, _, names in sorted(os.walk(package)):
        if folder.endswith("__pycache__"):
            continue
        for name in sorted(names):
            if name.endswith(".py"):
                stat = os.stat(os.path.join(folder, name))
                facts.append(f"{folder}/{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(facts).encode()).hexdigest()

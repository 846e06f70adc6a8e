"""The checked homelab, kept between runs for as long as nothing it was made from changed.

Loading, rendering, governing and checking 140 Stacks takes a second or more; a no-op plan
needs none of it when the homelab is the one the last run saw. An entry is the ``Checked``
value (the desired homelab and its policy findings), the parts it was built from (each Stack
as rendered, with the ``Inputs`` it read: files and folders under the homelab, environment
variables; see ``engine/incremental``) and the fingerprint of the software that built it
(Homestack's own source files, the installed libraries, Python); there is one entry per
homelab root and render variant (offline, or the cluster's capabilities).

When every input is unchanged the value is used as it is. When some changed, the homelab is
built again from the entry's parts: only the Stacks whose inputs changed are rendered again
(every Stack when ``site.py`` changed), and the whole-homelab steps run over all of them. When
the software changed, or the entry cannot be read back, nothing of it is used. Nothing about an
entry is trusted beyond that: a wrong entry would be a wrong plan. Files outside the homelab
that a homelab file reads (a module on ``PYTHONPATH``) are not inputs: keep them in the
repository.

Entries live in ``$HOMESTACK_CACHE_DIR/renders`` (default ``$XDG_CACHE_HOME/homestack`` or
``~/.cache/homestack``), readable by the user only; ``HOMESTACK_RENDER_CACHE=off`` turns the
cache off. A rendered homelab holds secret references, never values; one that holds a Secret
written with its values is not kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
import sys
import tempfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from homestack.catalog.capabilities import Capabilities
from homestack.catalog.inputs import Inputs
from homestack.engine.incremental import Build, Checked, Parts, build, first_change

CACHE_DIR_ENV = "HOMESTACK_CACHE_DIR"
SWITCH_ENV = "HOMESTACK_RENDER_CACHE"
FORMAT = 4  # bump when the pickled shape changes in a way the software fingerprint misses


@dataclass(frozen=True)
class Lookup:
    """The outcome of one cache use: the value, and whether it came from the cache whole
    (``why`` says what changed on a miss, for ``--debug``); ``rendered`` names the Stacks
    rendered again, ``stale`` the changed Stacks a narrowed build did not render."""

    checked: Checked
    hit: bool
    why: str = ""
    rendered: tuple[str, ...] = ()
    stale: tuple[str, ...] = ()


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


def checked(root: Path, variant: str, *, capabilities: Capabilities | None = None,
            only: Collection[str] | None = None) -> Lookup:
    """The checked homelab at ``root`` for ``variant`` (``capabilities`` renders its Helm
    releases for a cluster): the entry when nothing it was made from changed, else a build
    that reuses the entry's unchanged Stacks (narrowed to ``only`` and what they need when
    given). Errors of the build propagate and the entry is left as it was."""
    root = root.resolve()
    if not enabled():
        made = build(root, capabilities=capabilities)
        return Lookup(made.checked, hit=False, why="the render cache is off",
                      rendered=made.rendered)
    name = hashlib.sha256(f"{root}\0{variant}".encode()).hexdigest()[:40]
    path = cache_dir() / f"{name}.pickle"  # one entry per homelab and variant, replaced
    software = software_fingerprint()
    found, previous, why = _read(path, software)
    if found is not None and previous is None:
        return Lookup(found, hit=True)
    made = build(root, capabilities=capabilities, previous=previous, before=found, only=only)
    resources = made.checked.desired.all_resources()
    if any(r.holds_secret_values for r in resources):  # no value may land in the cache
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)  # an older entry of this homelab goes too
    else:
        for resource in resources:
            _ = resource.content_hash  # computed once, kept with the entry
        _write(path, software, made)
    return Lookup(made.checked, hit=False, why=why, rendered=made.rendered, stale=made.stale)


@dataclass(frozen=True)
class _Header:
    """What tells whether an entry can be used, read before its value: the software and every
    input (the Site's, the Stack folders' listing, each Stack's by folder name)."""

    format: int
    software: str
    site: Inputs
    listing: Inputs
    stacks: dict[str, Inputs]
    stale: tuple[str, ...]

    def changed(self) -> str | None:
        if self.stale:
            return f"Stack {self.stale[0]} changed (a run narrowed to other Stacks left it)"
        found = first_change((self.site, self.listing, *self.stacks.values()))
        return None if found is None else f"{found} changed"


def _read(path: Path, software: str) -> tuple[Checked | None, Parts | None, str]:
    """The entry's value alone when every input is unchanged; else the value and the parts
    it was built from, to reuse what did not change (neither when the software changed or the
    entry cannot be read), and why the value was not used as it is."""
    try:
        with path.open("rb") as handle:
            header = pickle.load(handle)
            if not isinstance(header, _Header) or header.format != FORMAT:
                return None, None, "an entry of another format"
            if header.software != software:
                return None, None, "Homestack, its libraries or Python changed"
            why = header.changed()
            value = pickle.load(handle)
            if not isinstance(value, Checked):
                return None, None, "an entry of another format"
            if why is None:
                return value, None, ""
            parts = _PartsUnpickler(handle, value).load()
    except FileNotFoundError:
        return None, None, "no entry yet"
    except Exception as exc:  # an unreadable entry is a miss, whatever broke
        return None, None, f"unreadable entry ({type(exc).__name__})"
    if not isinstance(parts, Parts):
        return None, None, "an entry of another format"
    return value, parts, why


def _write(path: Path, software: str, made: Build) -> None:
    """Keep the entry (atomically); a value that cannot be kept is simply not cached."""
    parts = made.parts
    header = _Header(FORMAT, software, parts.site, parts.listing,
                     {name: part.inputs for name, part in parts.stacks.items()}, made.stale)
    try:
        chunks = [pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
                  for value in (header, made.checked)]
        chunks.append(_parts_bytes(parts, made.checked))
    except Exception:  # e.g. a lambda kept in a Stack: not cached
        return
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".entry-")
        with os.fdopen(handle, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
        os.replace(temporary, path)
    except OSError:  # a read-only or full cache folder costs speed, never the run
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


# The parts hold the same Stack objects as the value, and every Resource that governance left
# as rendered: they are written as references into the value, read just before them, so an
# entry holds each once.

def _shared(checked: Checked) -> dict[int, tuple[str, str, int]]:
    """The objects of ``checked`` the parts may refer to, by identity."""
    shared = {id(stack): ("stack", name, 0)
              for name, stack in checked.desired.homelab.stacks.items()}
    for name, resources in checked.desired.resources.items():
        shared.update((id(resource), ("resource", name, index))
                      for index, resource in enumerate(resources))
    return shared


class _PartsPickler(pickle.Pickler):
    def __init__(self, out: io.BytesIO, shared: dict[int, tuple[str, str, int]]) -> None:
        super().__init__(out, protocol=pickle.HIGHEST_PROTOCOL)
        self._shared = shared

    def persistent_id(self, obj: object) -> tuple[str, str, int] | None:
        return self._shared.get(id(obj))


class _PartsUnpickler(pickle.Unpickler):
    def __init__(self, handle: BinaryIO, checked: Checked) -> None:
        super().__init__(handle)
        self._checked = checked

    def persistent_load(self, pid: Any) -> object:
        kind, name, index = pid
        if kind == "stack":
            return self._checked.desired.homelab.stacks[name]
        if kind == "resource":
            return self._checked.desired.resources[name][index]
        raise pickle.UnpicklingError(f"unknown reference {kind!r}")


def _parts_bytes(parts: Parts, checked: Checked) -> bytes:
    out = io.BytesIO()
    _PartsPickler(out, _shared(checked)).dump(parts)
    return out.getvalue()


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

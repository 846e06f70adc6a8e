"""What a load and render read: the files, the folder listings and the environment variables.

A render is a function of what it read, so its result can be reused for as long as every input
is unchanged (see ``engine/desired_cache``). The inputs are recorded, not guessed: Python's
audit events report every file opened for reading and every folder listed while ``recording()``
is active (stack files, the YAML and values files they name, modules a stack file imports), and
``os.environ`` is watched for the variables a homelab file reads. Every thread's reads count
while a recording is active: an input read by a helper thread must not be missed, and a read
that is not an input only costs a cache miss later.

What no audit event can follow makes the render uncacheable: a subprocess (its reads are its
own), native code loaded through ``ctypes`` (a Go library reading files or the environment).
Homestack's own native call, Helm's engine, is ``declared()``: its output is a function of
the chart archive (pinned in ``charts.lock``), the values, the release and the capabilities,
all of them inputs already.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_LISTING_EVENTS = frozenset({"os.listdir", "os.scandir"})
# Left out of folder listings: what runs write next to the homelab's files (Homestack's state
# and outputs, Git's own folder). No homelab file reads them, and their appearance must not
# count as a change of every file in the homelab's root.
_RUN_FOLDERS = frozenset({".homestack", ".git"})


@dataclass
class _Recording:
    files: set[str] = field(default_factory=set)
    folders: set[str] = field(default_factory=set)
    env: dict[str, str | None] = field(default_factory=dict)
    whole_env: bool = False
    untracked: str = ""  # what the block ran that no audit event follows


# The audit hook is installed once per process, on first use, and reports to the active
# recordings (audit hooks cannot be removed; with none active it returns at once).
_active: list[_Recording] = []
_hooked: list[bool] = []
# Events of work whose reads are not ours to see (a process, native code), by event name.
_UNTRACKED = {
    "subprocess.Popen": "a subprocess",
    "os.system": "a shell command",
    "os.posix_spawn": "a process",
    "os.exec": "a process",
    "os.spawn": "a process",
    "ctypes.dlopen": "native code",  # loading a library: calls into it raise no event
}
_declared = threading.local()  # set while Homestack itself makes a declared native call


@contextmanager
def declared() -> Iterator[None]:
    """Mark a native call of Homestack's own whose inputs are declared elsewhere (Helm's
    engine): it does not make the render uncacheable."""
    _declared.on = True
    try:
        yield
    finally:
        _declared.on = False


def _path(arg: Any) -> str | None:
    if isinstance(arg, bytes):
        arg = os.fsdecode(arg)
    if isinstance(arg, os.PathLike):
        arg = os.fspath(arg)
    if not isinstance(arg, str):
        return None  # a file descriptor: opened earlier, by path
    return os.path.abspath(arg)


def _reads(args: tuple[Any, ...]) -> bool:
    mode = args[1] if len(args) > 1 else None
    if isinstance(mode, str):
        return not any(c in mode for c in "wax+")
    flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
    return not flags & _WRITE_FLAGS


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not _active:
        return
    untracked = _UNTRACKED.get(event)
    if untracked is not None:
        if not getattr(_declared, "on", False):
            what = f"{untracked} ({_shown(args)})"
            for recording in _active:
                recording.untracked = recording.untracked or what
        return
    if event == "open" and args and _reads(args):
        path = _path(args[0])
        if path is not None:
            for recording in _active:
                recording.files.add(_source_of(path))
    elif event in _LISTING_EVENTS:
        path = _path(args[0] if args and args[0] is not None else ".")
        if path is not None:
            for recording in _active:
                recording.folders.add(path)


def _shown(args: tuple[Any, ...]) -> str:
    """The program or library an untracked event names, for the cache's why."""
    first = args[0] if args else ""
    if isinstance(first, (list, tuple)):
        first = first[0] if first else ""
    return os.path.basename(os.fsdecode(first)) if isinstance(first, (str, bytes)) else \
        type(first).__name__


def _source_of(path: str) -> str:
    """A module's source for its cached bytecode: the source is what a change touches."""
    head, name = os.path.split(path)
    if os.path.basename(head) == "__pycache__" and name.endswith(".pyc"):
        return os.path.join(os.path.dirname(head), name.split(".", 1)[0] + ".py")
    return path


class _WatchedEnviron(MutableMapping[str, str]):
    """``os.environ`` that notes which names are read (writes pass through)."""

    def __init__(self, real: MutableMapping[str, str], recording: _Recording) -> None:
        self._real = real
        self._recording = recording

    def __getitem__(self, key: str) -> str:
        self._recording.env[key] = self._real.get(key)
        return self._real[key]

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self._recording.env[key] = self._real.get(key)
        return key in self._real

    def __setitem__(self, key: str, value: str) -> None:
        self._real[key] = value

    def __delitem__(self, key: str) -> None:
        del self._real[key]

    def __iter__(self) -> Iterator[str]:
        self._recording.whole_env = True
        return iter(self._real)

    def __len__(self) -> int:
        self._recording.whole_env = True
        return len(self._real)

    def copy(self) -> dict[str, str]:
        self._recording.whole_env = True
        return dict(self._real)


@dataclass(frozen=True)
class Inputs:
    """What one recorded run read, with enough to tell later whether any of it changed.

    ``files`` maps a path to ``(size, mtime_ns, sha256)`` (None when it did not exist);
    ``folders`` maps a folder to the digest of its sorted entry names; ``env`` maps a variable
    to its value (None when unset), or holds the digest of the whole environment under ``*``
    when a file iterated over it. ``untracked`` names what the run did that no audit event
    follows (a subprocess, native code): such a run counts as changed every time.
    """

    files: Mapping[str, tuple[int, int, str] | None]
    folders: Mapping[str, str]
    env: Mapping[str, str | None]
    untracked: str = ""

    def changed(self) -> str | None:
        """The first input that differs now (a path or ``$NAME``), or None when none does."""
        if self.untracked:
            return f"uncacheable: ran {self.untracked}"
        for name, value in self.env.items():
            now = _environment_digest() if name == "*" else os.environ.get(name)
            if now != value:
                return f"${name}"
        for folder, digest in self.folders.items():
            if _listing(folder) != digest:
                return folder
        for path, seen in self.files.items():
            if not _same_file(path, seen):
                return path
        return None


@contextmanager
def recording(within: Path) -> Iterator[list[Inputs]]:
    """Record what the block reads; the ``Inputs`` are appended to the yielded list at the end.

    Files and folders outside ``within`` are not recorded: Homestack's own code and its
    libraries are covered by the cache's software fingerprint, and chart archives by their
    digests in ``charts.lock``. The folder of every recorded file is listed too, so a file that
    was only probed for (and is new) changes the inputs.
    """
    if not _hooked:
        sys.addaudithook(_audit)
        _hooked.append(True)
    recording = _Recording()
    _active.append(recording)
    real = os.environ
    # the mapping is swapped, not the environment: os.getenv reads the module's ``environ``
    os.environ = _WatchedEnviron(real, recording)  # type: ignore[assignment]  # noqa: B003
    result: list[Inputs] = []
    try:
        yield result
    finally:
        os.environ = real  # noqa: B003
        _active.remove(recording)
    result.append(_snapshot(recording, str(within.resolve())))


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root + os.sep)


def _snapshot(recording: _Recording, root: str) -> Inputs:
    files = {p for p in recording.files if _inside(p, root) and os.path.isfile(p)}
    folders = {p for p in recording.folders if _inside(p, root)}
    folders |= {os.path.dirname(p) for p in files}
    env = dict(recording.env)
    if recording.whole_env:
        env["*"] = _environment_digest()
    return Inputs(files={p: _file_facts(p) for p in sorted(files)},
                  folders={f: _listing(f) for f in sorted(folders)}, env=env,
                  untracked=recording.untracked)


def _file_facts(path: str) -> tuple[int, int, str] | None:
    try:
        stat = os.stat(path)
        with open(path, "rb") as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns, digest


def _same_file(path: str, seen: tuple[int, int, str] | None) -> bool:
    """Unchanged: the same size and mtime (cheap), else the same content (a checkout that
    touched the file without changing it)."""
    try:
        stat = os.stat(path)
    except OSError:
        return seen is None
    if seen is None:
        return False
    if (stat.st_size, stat.st_mtime_ns) == seen[:2]:
        return True
    now = _file_facts(path)
    return now is not None and now[2] == seen[2]


def _listing(folder: str) -> str:
    """The folder's identity (device and inode: another folder mounted or linked in its place
    is another folder) and its entry names; "" when it cannot be listed."""
    try:
        names = sorted(set(os.listdir(folder)) - _RUN_FOLDERS)
        stat = os.stat(folder)
    except OSError:
        return ""
    identity = f"{stat.st_dev}:{stat.st_ino}"
    # Names as the file system has them: a name that is not UTF-8 is still a name.
    return hashlib.sha256(b"\0".join(os.fsencode(n) for n in [identity, *names])).hexdigest()


def _environment_digest() -> str:
    text = "\0".join(f"{k}={v}" for k, v in sorted(os.environ.items()))
    return hashlib.sha256(text.encode()).hexdigest()

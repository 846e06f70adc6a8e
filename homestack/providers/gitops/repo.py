"""A Git repository driven through the stock ``git`` command: read HEAD, write, commit once.

Reads go to the committed tree (HEAD), not the work tree, so a run killed after writing files
but before committing is finished by the next run instead of being mistaken for done.

The repository may hold more than Homestack's files, so Homestack touches only its own:
``commit`` stages and commits exactly the paths this run wrote or removed (never ``add -A``:
a user's ``.env`` or staged work stays out); ``ensure`` refuses a repository on another branch
or a detached HEAD, or with uncommitted changes to the files Homestack manages, unless a run
of Homestack itself left them (it lists what it writes in ``.git/homestack-pending`` until it
commits); and ``write`` never overwrites an untracked file someone else put there.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Mapping
from pathlib import Path

from homestack.providers.errors import ProviderError
from homestack.providers.gitops.layout import MANAGED_DIRS

PENDING = "homestack-pending"

_IDENTITY = {
    "GIT_AUTHOR_NAME": "homestack",
    "GIT_AUTHOR_EMAIL": "homestack@localhost",
    "GIT_COMMITTER_NAME": "homestack",
    "GIT_COMMITTER_EMAIL": "homestack@localhost",
}


class GitRepo:
    """The GitOps repository at ``path`` (created on first use) on ``branch``."""

    def __init__(self, path: Path, branch: str = "main",
                 managed: tuple[str, ...] = MANAGED_DIRS) -> None:
        self.path = path
        self.branch = branch
        self.managed = managed
        self._changed: dict[str, bool] = {}  # path → True written, False removed (this run)
        self._foreign: frozenset[str] = frozenset()
        self._lock = threading.Lock()  # Stacks of one wave write from several threads

    def git(self, *args: str, input_text: str | None = None) -> str:
        """Run ``git args`` in the repository; ``ProviderError`` naming the command on failure."""
        env = {**os.environ, **{k: v for k, v in _IDENTITY.items() if k not in os.environ}}
        done = subprocess.run(
            ["git", "-C", str(self.path), *args], capture_output=True, text=True,
            input=input_text, env=env, check=False,
        )
        if done.returncode != 0:
            raise ProviderError(
                f"git {' '.join(args[:2])} failed: {done.stderr.strip() or done.stdout.strip()}",
                subject=str(self.path),
            )
        return done.stdout

    def ensure(self, *, read_only: bool = False) -> None:
        """Create the repository if it does not exist yet; refuse one that is unsafe to use.

        Refused (``ProviderError``, nothing written): HEAD detached or on another branch than the
        configured one; unless ``read_only``, uncommitted changes to files Homestack manages
        that no run of Homestack left. A ``read_only`` run creates nothing.
        """
        if not (self.path / ".git").exists():
            if read_only:
                return
            self.path.mkdir(parents=True, exist_ok=True)
            self.git("init", "-q", "-b", self.branch)
            return
        self._check_branch()
        if not read_only:
            self._check_clean()

    def hand_edits(self) -> dict[str, str | None]:
        """Uncommitted changes to tracked files Homestack manages that no run of Homestack
        left: path → the work tree's text, None when the file was deleted."""
        if not (self.path / ".git").exists():
            return {}
        pending = self._pending()
        edits: dict[str, str | None] = {}
        for code, path in self._status():
            if code == "??" or path in pending:
                continue
            file = self.path / path
            edits[path] = file.read_text(encoding="utf-8", errors="replace") \
                if file.is_file() else None
        return edits

    def _check_branch(self) -> None:
        done = subprocess.run(["git", "-C", str(self.path), "symbolic-ref", "-q", "--short",
                               "HEAD"], capture_output=True, text=True, check=False)
        current = done.stdout.strip()
        if current != self.branch:
            where = f"branch {current!r}" if current else "a detached HEAD"
            raise ProviderError(
                f"the GitOps repository is on {where}, not on the configured branch "
                f"{self.branch!r}",
                subject=str(self.path),
                hint=f"Run `git -C {self.path} switch {self.branch}` (or set Gitops(branch=...))",
            )

    def _status(self) -> list[tuple[str, str]]:
        """(XY status, path) of every changed or untracked file under the managed folders."""
        out = self.git("status", "--porcelain=v1", "-z", "--untracked-files=all", "--",
                       *self.managed)
        entries, fields = [], out.split("\0")
        index = 0
        while index < len(fields) and fields[index]:
            code, path = fields[index][:2], fields[index][3:]
            entries.append((code, path))
            index += 2 if code[0] in "RC" else 1  # renames carry their old path next
        return entries

    def _check_clean(self) -> None:
        pending = self._pending()
        changed, foreign = [], set()
        for code, path in self._status():
            if path in pending:
                continue  # a killed run of Homestack wrote it; this run finishes the job
            if code == "??":
                foreign.add(path)
            else:
                changed.append(path)
        if changed:
            shown = ", ".join(sorted(changed)[:5]) + (" ..." if len(changed) > 5 else "")
            raise ProviderError(
                f"uncommitted changes to files Homestack writes ({shown})",
                subject=str(self.path),
                hint="Commit them elsewhere or discard them (`git restore --staged --worktree "
                "<file>`); change the homelab's stack files instead, Homestack rewrites these",
            )
        self._foreign = frozenset(foreign)

    def _pending_file(self) -> Path:
        return Path(self.git("rev-parse", "--absolute-git-dir").strip()) / PENDING

    def _pending(self) -> set[str]:
        try:
            return set(self._pending_file().read_text().splitlines())
        except FileNotFoundError:
            return set()

    def _note(self, relative: str, present: bool) -> None:
        """Remember a path this run changed, on disk first: a killed run leaves the list."""
        with self._lock:
            if relative not in self._changed:
                with self._pending_file().open("a") as pending:
                    pending.write(relative + "\n")
            self._changed[relative] = present

    @property
    def changed(self) -> Mapping[str, bool]:
        """Paths this run wrote (True) or removed (False)."""
        return dict(self._changed)

    def head(self) -> str | None:
        """The commit id of HEAD, or None in an empty repository."""
        if not (self.path / ".git").exists():
            return None
        done = subprocess.run(["git", "-C", str(self.path), "rev-parse", "-q", "--verify",
                               "HEAD"], capture_output=True, text=True, check=False)
        return done.stdout.strip() or None

    def committed_text(self, relative: str) -> str | None:
        """The text of one file at HEAD, or None when HEAD or the file does not exist."""
        if self.head() is None:
            return None
        done = subprocess.run(["git", "-C", str(self.path), "show", f"HEAD:{relative}"],
                              capture_output=True, text=True, check=False)
        return done.stdout if done.returncode == 0 else None

    def committed_files(self) -> dict[str, str]:
        """Every file of HEAD, path → text (two git calls, whatever the number of files)."""
        if self.head() is None:
            return {}
        listing = self.git("ls-tree", "-r", "HEAD").splitlines()
        entries = [(line.split()[2], line.split("\t", 1)[1]) for line in listing]
        if not entries:
            return {}
        batch = self.git("cat-file", "--batch", input_text="".join(f"{sha}\n"
                                                                    for sha, _ in entries))
        return _parse_batch(batch, [path for _, path in entries])

    def write(self, relative: str, text: str) -> None:
        """Write one file of the work tree (never over an untracked file of someone else)."""
        if relative in self._foreign:
            raise ProviderError(
                f"{relative} exists but Homestack did not write it",
                subject=str(self.path),
                hint="Move the file away; Homestack owns that path",
            )
        self._note(relative, True)
        target = self.path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)

    def remove(self, relative: str) -> None:
        """Remove one file of the work tree and its folder once empty."""
        if relative in self._foreign:
            return  # not ours to delete
        self._note(relative, False)
        target = self.path / relative
        target.unlink(missing_ok=True)
        folder = target.parent
        while folder != self.path and folder.exists() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent

    def commit(self, message: str) -> str | None:
        """Stage and commit exactly the paths this run changed; None when nothing changed."""
        paths = self._stageable()
        if paths:
            listing = "".join(f"{path}\0" for path in paths)
            self.git("add", "-A", "--pathspec-from-file=-", "--pathspec-file-nul",
                     input_text=listing)
            staged = subprocess.run(
                ["git", "-C", str(self.path), "diff", "--cached", "--quiet", "--", *paths],
                check=False)
            if staged.returncode != 0:
                # --only (the default with paths): other staged content of the user stays out
                self.git("commit", "-q", "-m", message, "--only",
                         "--pathspec-from-file=-", "--pathspec-file-nul", input_text=listing)
                self._done()
                return self.head()
        self._done()
        return None

    def _stageable(self) -> list[str]:
        """Changed paths git can stage: present in the work tree, or tracked (removals)."""
        if not self._changed:
            return []
        tracked = set(self.git("ls-files", "-z").split("\0"))
        return sorted(p for p in self._changed if (self.path / p).exists() or p in tracked)

    def _done(self) -> None:
        with self._lock:
            self._changed.clear()
            self._pending_file().unlink(missing_ok=True)


def _parse_batch(batch: str, paths: list[str]) -> dict[str, str]:
    """Split ``git cat-file --batch`` output into file texts, in request order."""
    files: dict[str, str] = {}
    data = batch.encode()
    offset = 0
    for path in paths:
        header_end = data.index(b"\n", offset)
        size = int(data[offset:header_end].split()[2])
        start = header_end + 1
        files[path] = data[start:start + size].decode()
        offset = start + size + 1
    return files

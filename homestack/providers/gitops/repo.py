"""A Git repository driven through the stock ``git`` command: read HEAD, write, commit once.

Reads go to the committed tree (HEAD), not the work tree, so a run killed after writing files
but before committing is finished by the next run instead of being mistaken for done.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from homestack.providers.errors import ProviderError

_IDENTITY = {
    "GIT_AUTHOR_NAME": "homestack",
    "GIT_AUTHOR_EMAIL": "homestack@localhost",
    "GIT_COMMITTER_NAME": "homestack",
    "GIT_COMMITTER_EMAIL": "homestack@localhost",
}


class GitRepo:
    """The GitOps repository at ``path`` (created on first use) on ``branch``."""

    def __init__(self, path: Path, branch: str = "main") -> None:
        self.path = path
        self.branch = branch

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

    def ensure(self) -> None:
        """Create the repository if it does not exist yet."""
        if (self.path / ".git").exists():
            return
        self.path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", self.branch)

    def head(self) -> str | None:
        """The commit id of HEAD, or None in an empty repository."""
        if not (self.path / ".git").exists():
            return None
        done = subprocess.run(["git", "-C", str(self.path), "rev-parse", "-q", "--verify",
                               "HEAD"], capture_output=True, text=True, check=False)
        return done.stdout.strip() or None

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
        """Write one file of the work tree."""
        target = self.path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)

    def remove(self, relative: str) -> None:
        """Remove one file of the work tree and its folder once empty."""
        target = self.path / relative
        target.unlink(missing_ok=True)
        folder = target.parent
        while folder != self.path and folder.exists() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent

    def commit(self, message: str) -> str | None:
        """Stage everything and commit once; None when nothing changed."""
        self.git("add", "-A")
        staged = subprocess.run(["git", "-C", str(self.path), "diff", "--cached", "--quiet"],
                                check=False)
        if staged.returncode == 0:
            return None
        self.git("commit", "-q", "-m", message)
        return self.head()


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

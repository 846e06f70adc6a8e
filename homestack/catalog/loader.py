"""Find and load a homelab repository: ``site.py`` and every ``stacks/<name>/stack.py``.

Loading is all-or-nothing: any error stops the load and nothing is rendered.
"""

from __future__ import annotations

import os
from pathlib import Path

from homestack.catalog.errors import CatalogError
from homestack.catalog.executor import read_text, run_file
from homestack.catalog.homelab import Homelab
from homestack.model import Site, Stack

SITE_FILE = "site.py"
STACKS_DIR = "stacks"
STACK_FILE = "stack.py"


def load(root: Path) -> Homelab:
    """Load the homelab at ``root``; raise ``CatalogError`` on the first problem found."""
    root = root.resolve()
    site = load_site(root)
    return assemble(root, site, [(load_stack(root, path), path) for path in stack_files(root)])


def load_stack(root: Path, path: Path) -> Stack:
    """Run one stack file (and read the files its components name); the Stack is checked
    against the others' names and needs by ``assemble``."""
    return _load_stack(path, str(path.relative_to(root)))


def assemble(root: Path, site: Site, loaded: list[tuple[Stack, Path]]) -> Homelab:
    """The homelab of ``site`` and the Stacks loaded from their files: every Stack named once,
    after its folder, needing only Stacks that exist."""
    stacks: dict[str, Stack] = {}
    files: dict[str, Path] = {}
    for stack, path in loaded:
        shown = str(path.relative_to(root))
        folder = path.parent.name
        if stack.name in stacks:
            raise CatalogError(
                f"duplicate Stack {stack.name!r}, already declared in "
                f"{files[stack.name].relative_to(root)}",
                location=_where(stack, shown),
                hint="Each Stack name must be unique",
            )
        if stack.name != folder:
            raise CatalogError(
                f"Stack {stack.name!r} lives in folder {folder!r}",
                location=_where(stack, shown),
                hint=f"Rename the folder to stacks/{stack.name}/ or the Stack to {folder!r}",
            )
        stacks[stack.name] = stack
        files[stack.name] = path
    _check_needs(stacks, files, root)
    return Homelab(root=root, site=site, stacks=stacks, stack_files=files)


def load_site(root: Path) -> Site:
    """Run ``site.py`` and return the one Site it declares."""
    path = root / SITE_FILE
    if not path.is_file():
        raise CatalogError(
            "no site.py found",
            location=str(root),
            hint="Run homestack in a homelab repository or pass -C DIR",
        )
    found = [v for v in run_file(path, SITE_FILE).values() if isinstance(v, Site)]
    if len(found) != 1:
        raise CatalogError(
            f"site.py must declare exactly one Site, found {len(found)}",
            location=SITE_FILE,
            hint="Assign it as `site = Site(...)`",
        )
    return found[0]


def stack_files(root: Path) -> list[Path]:
    """Every ``stacks/<name>/stack.py``, in name order.

    A Stack folder whose ``stack.py`` is missing or unreadable (deleted, a dangling symlink, a
    symlink loop, a directory) is an error naming it: skipping it would make the Stack look
    removed, and a removed Stack's objects are pruned. Folders starting with ``.`` or ``_``
    (``.git``, ``__pycache__``, shared helpers) and plain files under ``stacks/`` are not Stacks.
    """
    stacks_dir = root / STACKS_DIR
    try:
        # Listed even when missing: the attempt is a recorded input, so the render cache sees
        # the folder come back.
        names = sorted(os.listdir(stacks_dir))
    except FileNotFoundError:
        if stacks_dir.is_symlink():
            raise CatalogError(
                f"stacks/ is a symlink to {os.readlink(stacks_dir)}, which does not exist",
                location=STACKS_DIR, hint="Mount or restore what it points to") from None
        return []  # a homelab without Stacks yet (plan and apply refuse that while state
        # holds Stacks, unless --allow-prune)
    except OSError as exc:
        why = "it is not a folder" if isinstance(exc, NotADirectoryError) else \
            exc.strerror or type(exc).__name__
        raise CatalogError(f"cannot list the Stack folders ({why})", location=STACKS_DIR,
                           hint="stacks/ holds one folder per Stack; restore it") from exc
    for name in names:
        if not name.isprintable() or _undecodable(name):
            raise CatalogError(f"the folder name {name!r} is not printable UTF-8",
                               location=f"{STACKS_DIR}/",
                               hint="Rename the folder: a Stack's folder is its name")
    found = []
    for folder in (stacks_dir / name for name in names):
        if folder.name.startswith((".", "_")) or not folder.is_dir():
            continue
        path = folder / STACK_FILE
        _check_readable(path, str(path.relative_to(root)))
        found.append(path)
    return found


def _undecodable(name: str) -> bool:
    """True for a file name that was not UTF-8 on disk (Python keeps its bytes as
    surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _check_readable(path: Path, shown: str) -> None:
    """Raise ``CatalogError`` naming ``shown`` unless it is a regular file."""
    why = ""
    try:
        if not path.is_file():
            why = ("it is missing" if not path.exists() and not path.is_symlink()
                   else "it is not a regular file")
    except OSError as exc:  # a symlink loop or a permission problem
        why = exc.strerror or type(exc).__name__
    if path.is_symlink() and not path.exists():
        why = "it is a symlink to nothing"
    if why:
        raise CatalogError(
            f"cannot read the Stack's file ({why})",
            location=shown,
            hint="Restore the file, or delete the whole folder to remove the Stack",
        )


def _load_stack(path: Path, shown: str) -> Stack:
    namespace = run_file(path, shown)
    found = [v for v in namespace.values() if isinstance(v, Stack)]
    if len(found) != 1:
        raise CatalogError(
            f"a stack file must declare exactly one Stack, found {len(found)}",
            location=shown,
            hint="Split the Services into one folder each under stacks/",
        )
    stack = found[0]
    _load_files(stack, path.parent, shown)
    return stack


def _load_files(stack: Stack, folder: Path, shown: str) -> None:
    """Read the files that file-backed components named (raw YAML), relative to the stack."""
    for component in stack.components:
        relative = getattr(component, "relative_path", None)
        load = getattr(component, "load", None)
        if relative is None or load is None:
            continue
        target = folder / str(relative)
        origin = stack.component_origin(component)
        where = f"{shown}:{origin.line}" if origin else shown
        text = read_text(target, where, f"{shown.rpartition('/')[0]}/{relative}")
        try:
            load(text)
        except ValueError as exc:
            raise CatalogError(str(exc), location=where) from exc


def _where(stack: Stack, shown: str) -> str:
    return f"{shown}:{stack.origin.line}" if stack.origin else shown


def _check_needs(stacks: dict[str, Stack], files: dict[str, Path], root: Path) -> None:
    for name, stack in stacks.items():
        for need in stack.needs:
            if need not in stacks:
                raise CatalogError(
                    f"Stack {name!r} needs unknown Stack {need!r}",
                    location=_where(stack, str(files[name].relative_to(root))),
                    hint="Known Stacks: " + ", ".join(sorted(stacks)[:12])
                    + (" ..." if len(stacks) > 12 else ""),
                )

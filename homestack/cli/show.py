"""How change sets look in a terminal: a table per run, coloured diffs, a summary line."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from homestack.cli.tables import print_table
from homestack.engine import Action, ChangeSet, PlanMode, SkipReason, StackChanges
from homestack.model.redact import redact

_STYLE = {
    Action.CREATE: "green",
    Action.UPDATE: "yellow",
    Action.DELETE: "red",
    Action.REPLACE: "magenta",
    Action.ADOPT: "cyan",
    Action.MOVE: "cyan",
    Action.UNCHANGED: "dim",
    Action.SKIPPED: "blue",
    Action.FAILED: "bold red",
}


def show_changeset(console: Console, changeset: ChangeSet, *, diffs: bool = True,
                   unchanged: bool = False) -> None:
    """Print the changes of every Stack, then failures and the summary."""
    title = "Destroy plan" if changeset.mode is PlanMode.DESTROY else "Plan"
    table = Table(title=title, show_lines=False)
    for column in ("Stack", "Action", "Resource", "Note"):
        table.add_column(column, overflow="fold")
    unconfigured: dict[str, list[str]] = {}  # provider -> the Stack of each skipped Resource
    for stack in changeset.stacks:
        for change in stack.changes:
            # An unchanged Resource is listed when it says something (a VM change pending
            # until its reboot), or when asked to; so is one skipped for want of a provider,
            # which otherwise counts in one line per provider.
            if change.action is Action.UNCHANGED and not unchanged and not change.fields:
                continue
            if change.skip is SkipReason.PROVIDER_NOT_CONFIGURED and not unchanged:
                unconfigured.setdefault(change.address.provider, []).append(stack.stack)
                continue
            style = _STYLE[change.action]
            table.add_row(stack.stack, f"[{style}]{change.action.value}[/]",
                          escape(str(change.address)), escape(change.note))
    if table.row_count:
        print_table(console, table)
    for provider, stacks in sorted(unconfigured.items()):
        console.print(f"[blue]skipped[/] {_count(len(stacks), provider + ' Resource')} of "
                      f"{_count(len(set(stacks)), 'Stack')}: the Site configures no {provider} "
                      "provider", soft_wrap=True)
    if diffs:
        from rich.syntax import Syntax  # loads pygments: only when there is a diff to show

        for stack in changeset.stacks:
            for change in stack.changes:
                if change.diff and change.action in (Action.UPDATE, Action.REPLACE, Action.ADOPT):
                    console.print(Syntax(change.diff, "diff", theme="ansi_dark",
                                         background_color="default"))
    for stack in changeset.stacks:
        for note in stack.notes:
            console.print(f"[yellow]note[/] {stack.stack}: {escape(note)}", soft_wrap=True)
    for stack in changeset.failed:
        error = escape(redact(stack.error))
        console.print(f"[bold red]{stack.outcome.value}[/] {stack.stack}: {error}",
                      soft_wrap=True)
    line = changeset.summary()
    granted = changeset.permissions.flags()
    if granted:
        line += f" (planned with {' '.join(granted)})"
    if changeset.commit:
        line += f" (commit {changeset.commit[:12]})"
    console.print(f"[bold]{line}[/]", soft_wrap=True)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


@contextmanager
def stack_progress(console: Console, total: int) -> Iterator[Callable[[StackChanges], None]]:
    """A progress bar over Stacks (on stderr, hidden when it is not a terminal)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    progress = Progress(TextColumn("[bold]apply"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.description}"), TimeElapsedColumn(),
                        console=console, transient=True, disable=not console.is_terminal)
    task = progress.add_task("", total=total)

    def advance(stack: StackChanges) -> None:
        progress.update(task, advance=1, description=f"{stack.stack}: {stack.outcome.value}")

    with progress:
        yield advance

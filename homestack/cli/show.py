"""How change sets look in a terminal: a table per run, coloured diffs, a summary line."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from homestack.engine import Action, ChangeSet, StackChanges
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
    table = Table(title="Plan", show_lines=False)
    for column in ("Stack", "Action", "Resource", "Note"):
        table.add_column(column, overflow="fold")
    for stack in changeset.stacks:
        for change in stack.changes:
            # An unchanged Resource is listed when it says something (a VM change pending
            # until its reboot), or when asked to.
            if change.action is Action.UNCHANGED and not unchanged and not change.fields:
                continue
            style = _STYLE[change.action]
            table.add_row(stack.stack, f"[{style}]{change.action.value}[/]",
                          escape(str(change.address)), escape(change.note))
    if table.row_count:
        console.print(table)
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
    if changeset.commit:
        line += f" (commit {changeset.commit[:12]})"
    console.print(f"[bold]{line}[/]", soft_wrap=True)


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

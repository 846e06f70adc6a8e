"""Tables for people on a terminal, plain lines for pipes.

On a terminal a table is a rich table that fits the window. Piped or redirected, it is what a
script or ``grep``/``cut``/``column -t`` wants: an optional ``# title`` line, a header line,
then one line per row with the cells separated by tabs, markup removed and nothing cut,
wrapped or padded.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text


def plain(cell: object) -> str:
    """A cell's text without markup, on one line."""
    if isinstance(cell, Text):
        text = cell.plain
    elif isinstance(cell, str):
        text = Text.from_markup(cell).plain
    else:
        text = str(cell)
    return " ".join(text.replace("\t", " ").split())


def tsv_lines(table: Table) -> list[str]:
    """The table as plain lines: ``# title`` (when it has one), the header, the rows."""
    lines = [f"# {plain(table.title)}"] if table.title else []
    lines.append("\t".join(plain(column.header) for column in table.columns))
    cells = [list(column.cells) for column in table.columns]
    for index in range(table.row_count):
        lines.append("\t".join(plain(column[index]) for column in cells))
    return lines


def print_table(console: Console, table: Table) -> None:
    """``table`` as a rich table on a terminal, as tab-separated lines otherwise."""
    if console.is_terminal:
        console.print(table)
        return
    # rich would expand the tabs: the lines go to the console's file as they are
    console.file.write("".join(f"{line}\n" for line in tsv_lines(table)))

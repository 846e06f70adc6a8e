"""Tables: rich boxes on a terminal, tab-separated plain lines in a pipe; run ids never cut."""

from __future__ import annotations

import io
import json
from pathlib import Path

from rich.console import Console
from rich.table import Table
from typer.testing import CliRunner

from homestack.cli import app
from homestack.cli.tables import print_table, tsv_lines
from homestack_testing.homelabs import copy_homelab
from tests.conftest import SMALL_HOMELAB


def _table() -> Table:
    table = Table("Stack", "Action", title="Plan")
    table.add_row("web", "[green]create[/]")
    table.add_row("a\tb", "delete\nall")
    return table


def test_a_piped_table_is_a_title_a_header_and_tab_separated_rows() -> None:
    assert tsv_lines(_table()) == ["# Plan", "Stack\tAction", "web\tcreate", "a b\tdelete all"]


def test_print_table_draws_boxes_only_on_a_terminal() -> None:
    piped, terminal = io.StringIO(), io.StringIO()
    print_table(Console(file=piped, width=40), _table())
    print_table(Console(file=terminal, width=40, force_terminal=True), _table())
    assert piped.getvalue().splitlines() == tsv_lines(_table())
    assert "┃" in terminal.getvalue() and "\t" not in terminal.getvalue()


def test_history_keeps_run_ids_whole_on_a_narrow_terminal(tmp_path: Path) -> None:
    root = copy_homelab(SMALL_HOMELAB, tmp_path / "lab")
    runner = CliRunner()
    assert runner.invoke(app, ["-C", str(root), "apply", "--yes"]).exit_code == 0
    [run] = json.loads(runner.invoke(app, ["-C", str(root), "--json", "state", "history"]
                                     ).stdout)
    # FORCE_COLOR makes rich treat the captured output as a terminal, COLUMNS its width
    shown = runner.invoke(app, ["-C", str(root), "state", "history"],
                          env={"FORCE_COLOR": "1", "COLUMNS": "60", "NO_COLOR": None})
    assert shown.exit_code == 0, shown.output
    assert "┃" in shown.stdout
    assert run["run_id"] in shown.stdout
    assert f"run {run['run_id']}" not in shown.stdout  # not repeated (and wrapped) in By

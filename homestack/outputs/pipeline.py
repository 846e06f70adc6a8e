"""CI pipeline files that run Homestack: Woodpecker, Forgejo Actions, GitHub Actions.

Every flavour has the same steps (rules are data): ``validate`` on every push; ``ci plan --out``
on pull requests (the plan file stays in the workspace; changes are not a failure there); on
the main branch ``ci plan --out`` (its log is the plan applied) then ``ci apply --plan`` of
exactly that file; ``ci drift`` on a schedule (nightly). Each step installs Homestack from the
pinned source given (a version, or a git URL with the extras it needs) and takes the Site's
secrets from the CI system's store by name (``ci_secrets``).
"""

from __future__ import annotations

import enum
import shlex
from collections.abc import Sequence
from typing import Any

import yaml

from homestack import __version__
from homestack.outputs.ci_secrets import CiSecret, materialize

IMAGE = "python:3.11-slim"
DEFAULT_INSTALL = f"homestack[helm]=={__version__}"
PLAN_FILE = "homestack-plan.json"

# (step name, commands, when it runs: push | pull_request | main | cron)
STEPS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("validate", ("homestack validate",), "push"),
    ("plan", (f"homestack ci plan --out {PLAN_FILE} || [ $? -eq 2 ]",), "pull_request"),
    # ``ci plan`` exits 2 when it found changes: that is what the apply step is for.
    ("apply", (f"homestack ci plan --out {PLAN_FILE} || [ $? -eq 2 ]",
               f"homestack ci apply --plan {PLAN_FILE}"), "main"),
    ("drift", ("homestack ci drift --confirm-delay 120 --metrics-file metrics/homestack.prom",),
     "cron"),
)


class Flavour(enum.Enum):
    """Which CI system the pipeline file is for."""

    WOODPECKER = "woodpecker"
    FORGEJO = "forgejo"
    GITHUB = "github"


PATHS = {
    Flavour.WOODPECKER: ".woodpecker/homestack.yaml",
    Flavour.FORGEJO: ".forgejo/workflows/homestack.yaml",
    Flavour.GITHUB: ".github/workflows/homestack.yaml",
}


def _woodpecker_when(trigger: str) -> list[dict[str, Any]]:
    if trigger == "main":
        return [{"event": "push", "branch": "main"}]
    if trigger == "cron":
        return [{"event": "cron", "cron": "nightly-drift"}]
    return [{"event": trigger}]


def install_command(spec: str) -> str:
    """The command that installs Homestack from ``spec``."""
    return f"pip install --quiet {shlex.quote(spec)}"


def _prelude(secrets: Sequence[CiSecret], install: str) -> list[str]:
    return [install_command(install), *(materialize(s) for s in secrets if s.file)]


def woodpecker(secrets: Sequence[CiSecret], install: str) -> dict[str, Any]:
    """A Woodpecker pipeline; the nightly cron job is named ``nightly-drift`` in the repo."""
    # Woodpecker substitutes $VAR and ${VAR} in the file before a step runs: the shell's own
    # variables are written $$VAR to reach the shell as $VAR.
    return {"steps": [
        {"name": name, "image": IMAGE,
         "commands": [c.replace("$", "$$") for c in (*_prelude(secrets, install), *commands)],
         "environment": {s.carrier: {"from_secret": s.secret} for s in secrets},
         "when": _woodpecker_when(trigger)}
        for name, commands, trigger in STEPS]}


_ACTIONS_IF = {
    "push": "always()",
    "pull_request": "github.event_name == 'pull_request'",
    "main": "github.event_name == 'push' && github.ref == 'refs/heads/main'",
    "cron": "github.event_name == 'schedule'",
}


def actions(secrets: Sequence[CiSecret], install: str) -> dict[str, Any]:
    """A GitHub Actions workflow (Forgejo Actions reads the same format)."""
    return {
        "name": "homestack",
        "on": {"push": {"branches": ["main"]}, "pull_request": {},
               "schedule": [{"cron": "17 3 * * *"}]},
        "jobs": {name: {
            "runs-on": "ubuntu-latest",
            "if": _ACTIONS_IF[trigger],
            "env": {s.carrier: f"${{{{ secrets.{s.env} }}}}" for s in secrets},
            "steps": [{"uses": "actions/checkout@v4", "with": {"fetch-depth": 0}},
                      {"uses": "actions/setup-python@v5", "with": {"python-version": "3.11"}},
                      # one step: a file secret's variable lives in the shell that made it
                      {"run": "\n".join([*_prelude(secrets, install), *commands])}],
        } for name, commands, trigger in STEPS},
    }


def pipeline(flavour: Flavour, secrets: Sequence[CiSecret],
             install: str = DEFAULT_INSTALL) -> str:
    """The pipeline file's text for ``flavour``."""
    data = (woodpecker(secrets, install) if flavour is Flavour.WOODPECKER
            else actions(secrets, install))
    return yaml.safe_dump(data, sort_keys=False, width=1000)

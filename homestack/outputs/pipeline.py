"""CI pipeline files that run Homestack: Woodpecker, Forgejo Actions, GitHub Actions.

Every flavour has the same steps (rules are data): ``validate`` on every push; ``ci plan`` on
pull requests; on the main branch ``ci plan --out`` (its log is the plan applied) then
``ci apply --plan`` of exactly that file; ``ci drift`` on a schedule (nightly).
"""

from __future__ import annotations

import enum
from typing import Any

import yaml

IMAGE = "python:3.11-slim"
INSTALL = "pip install homestack"
PLAN_FILE = "homestack-plan.json"

# (step name, commands, when it runs: push | pull_request | main | cron)
STEPS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("validate", ("homestack validate",), "push"),
    ("plan", ("homestack ci plan",), "pull_request"),
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


def woodpecker() -> dict[str, Any]:
    """A Woodpecker pipeline; the nightly cron job is named ``nightly-drift`` in the repo."""
    return {"steps": [
        {"name": name, "image": IMAGE, "commands": [INSTALL, *commands],
         "environment": {"HOMESTACK_NOTIFY": {"from_secret": "homestack_notify"}},
         "when": _woodpecker_when(trigger)}
        for name, commands, trigger in STEPS]}


_ACTIONS_IF = {
    "push": "always()",
    "pull_request": "github.event_name == 'pull_request'",
    "main": "github.event_name == 'push' && github.ref == 'refs/heads/main'",
    "cron": "github.event_name == 'schedule'",
}


def actions() -> dict[str, Any]:
    """A GitHub Actions workflow (Forgejo Actions reads the same format)."""
    return {
        "name": "homestack",
        "on": {"push": {"branches": ["main"]}, "pull_request": {},
               "schedule": [{"cron": "17 3 * * *"}]},
        "jobs": {name: {
            "runs-on": "ubuntu-latest",
            "if": _ACTIONS_IF[trigger],
            "env": {"HOMESTACK_NOTIFY": "${{ secrets.HOMESTACK_NOTIFY }}"},
            "steps": [{"uses": "actions/checkout@v4", "with": {"fetch-depth": 0}},
                      {"uses": "actions/setup-python@v5", "with": {"python-version": "3.11"}},
                      {"run": INSTALL}, *({"run": command} for command in commands)],
        } for name, commands, trigger in STEPS},
    }


def pipeline(flavour: Flavour) -> str:
    """The pipeline file's text for ``flavour``."""
    data = woodpecker() if flavour is Flavour.WOODPECKER else actions()
    return yaml.safe_dump(data, sort_keys=False)

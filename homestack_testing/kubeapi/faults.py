"""Fault injection rules, parsed from a SPEC string.

A SPEC is rules separated by ``;``; each rule is ``VERB[/RESOURCE]:ACTION:TRIGGER[:OPT...]``:

* VERB: get, list, create, update, patch, delete, watch or ``*``; RESOURCE optionally
  narrows to a plural such as ``deployments``.
* ACTION: an HTTP status code (``500``, ``429``, ``503``, ``409``...) or ``drop``
  (close the connection without answering).
* TRIGGER: ``N%`` (random with the seed), ``everyN`` (the Nth, 2Nth... matching
  request), ``firstN`` (the first N matching requests) or ``always``.
* OPT: ``retry-after=SECONDS`` (sets the Retry-After header).

A rule ``seed=N`` sets the random seed (default 0), making percentages repeatable.
Example: ``"seed=7;patch:500:10%;list:429:every5:retry-after=1;get:drop:5%"``.
"""

from __future__ import annotations

import random
import re
import threading
from dataclasses import dataclass, field

VERBS = {"get", "list", "create", "update", "patch", "delete", "deletecollection", "watch",
         "*"}


@dataclass
class FaultRule:
    verb: str
    resource: str
    action: str  # "drop" or an HTTP code as a string
    percent: float = 0.0
    every: int = 0
    first: int = 0
    retry_after: str = ""
    seen: int = field(default=0)

    def matches(self, verb: str, resource: str) -> bool:
        return self.verb in ("*", verb) and self.resource in ("", resource)


@dataclass
class Fault:
    action: str
    retry_after: str = ""

    @property
    def code(self) -> int:
        return 0 if self.action == "drop" else int(self.action)


def parse_spec(spec: str) -> tuple[list[FaultRule], int]:
    rules: list[FaultRule] = []
    seed = 0
    for raw in (spec or "").split(";"):
        text = raw.strip()
        if not text:
            continue
        if text.startswith("seed="):
            seed = int(text[5:])
            continue
        parts = text.split(":")
        if len(parts) < 3:
            raise ValueError(f"fault rule {text!r}: want VERB:ACTION:TRIGGER")
        verb, _, resource = parts[0].partition("/")
        if verb not in VERBS:
            raise ValueError(f"fault rule {text!r}: unknown verb {verb!r}")
        action = parts[1]
        if action != "drop" and not re.fullmatch(r"[1-5]\d\d", action):
            raise ValueError(f"fault rule {text!r}: action must be drop or an HTTP code")
        rule = FaultRule(verb, resource, action)
        trigger = parts[2]
        if m := re.fullmatch(r"(\d+(?:\.\d+)?)%", trigger):
            rule.percent = float(m.group(1))
        elif m := re.fullmatch(r"every(\d+)", trigger):
            rule.every = int(m.group(1))
        elif m := re.fullmatch(r"first(\d+)", trigger):
            rule.first = int(m.group(1))
        elif trigger == "always":
            rule.percent = 100.0
        else:
            raise ValueError(f"fault rule {text!r}: unknown trigger {trigger!r}")
        for opt in parts[3:]:
            key, _, value = opt.partition("=")
            if key != "retry-after" or not value:
                raise ValueError(f"fault rule {text!r}: unknown option {opt!r}")
            rule.retry_after = value
        rules.append(rule)
    return rules, seed


class FaultInjector:
    """Decides, per request, whether a fault fires. Thread-safe and seeded."""

    def __init__(self, spec: str = "") -> None:
        self._lock = threading.Lock()
        self.set(spec)

    def set(self, spec: str, seed: int | None = None) -> None:
        rules, spec_seed = parse_spec(spec)
        with self._lock:
            self.spec = spec
            self.rules = rules
            self._rand = random.Random(spec_seed if seed is None else seed)

    def decide(self, verb: str, resource: str) -> Fault | None:
        with self._lock:
            for rule in self.rules:
                if not rule.matches(verb, resource):
                    continue
                rule.seen += 1
                if rule.every and rule.seen % rule.every == 0:
                    return Fault(rule.action, rule.retry_after)
                if rule.first and rule.seen <= rule.first:
                    return Fault(rule.action, rule.retry_after)
                if rule.percent and self._rand.random() * 100 < rule.percent:
                    return Fault(rule.action, rule.retry_after)
        return None

"""Request log and counters by (verb, resource)."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any


@dataclass
class RequestRecord:
    method: str
    path: str
    verb: str
    resource: str
    namespace: str
    name: str
    code: int
    duration_ms: float
    fault: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class RequestStats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: list[RequestRecord] = []
        self._counts: Counter[tuple[str, str]] = Counter()

    def record(self, rec: RequestRecord) -> None:
        with self._lock:
            self.requests.append(rec)
            self._counts[(rec.verb, rec.resource)] += 1

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self._counts.clear()

    def snapshot(self) -> dict[str, Any]:
        """{"total": N, "counts": {(verb, resource): n}, "by_verb": {verb: n}}"""
        with self._lock:
            by_verb: Counter[str] = Counter()
            for (verb, _), n in self._counts.items():
                by_verb[verb] += n
            return {"total": sum(self._counts.values()), "counts": dict(self._counts),
                    "by_verb": dict(by_verb)}

    def to_json(self) -> dict[str, Any]:
        snap = self.snapshot()
        with self._lock:
            log = [r.to_json() for r in self.requests]
        return {
            "total": snap["total"],
            "by_verb": snap["by_verb"],
            "counts": [{"verb": v, "resource": r, "count": n}
                       for (v, r), n in sorted(snap["counts"].items())],
            "requests": log,
        }

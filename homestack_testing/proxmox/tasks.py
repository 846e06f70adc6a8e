"""Asynchronous tasks: each API call that takes time returns a UPID and runs in a thread.

A task holds its VM's lock while it runs (when it takes one), fails halfway or never ends when
a fault is injected, and reports ``running`` / ``stopped`` with an ``exitstatus`` the way
``/nodes/{node}/tasks/{upid}/status`` does.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

_COUNTER = itertools.count(1)


@dataclass
class Task:
    """One task: its UPID fields and its outcome."""

    upid: str
    node: str
    kind: str
    vmid: str
    user: str
    started: int
    status: str = "running"
    exitstatus: str = ""
    log: list[str] = field(default_factory=list)

    def as_status(self) -> dict[str, object]:
        """The task's ``status`` answer."""
        answer: dict[str, object] = {
            "upid": self.upid, "node": self.node, "type": self.kind, "id": self.vmid,
            "user": self.user, "starttime": self.started, "status": self.status,
            "pid": int(self.upid.split(":")[2], 16), "pstart": 1,
        }
        if self.status == "stopped":
            answer["exitstatus"] = self.exitstatus
        return answer


def new_upid(node: str, kind: str, vmid: str, user: str) -> Task:
    """A task with a UPID in PVE's format (``UPID:node:pid:pstart:start:type:id:user:``)."""
    started = int(time.time())
    pid = os.getpid() * 16 + next(_COUNTER)
    upid = f"UPID:{node}:{pid:08X}:{1:08X}:{started:08X}:{kind}:{vmid}:{user}:"
    return Task(upid, node, kind, vmid, user, started)


@dataclass
class TaskFaults:
    """Injected task faults by task type (``qmclone``, ``qmcreate``, ...)."""

    fail: set[str] = field(default_factory=set)
    hang: set[str] = field(default_factory=set)


def run(task: Task, seconds: float, faults: TaskFaults, lock: threading.RLock,
        work: Callable[[], None], on_fail: Callable[[], None],
        on_end: Callable[[], None]) -> None:
    """Run ``work`` after ``seconds`` in a thread, honouring the injected faults.

    A failing task dies halfway (``on_fail`` undoes what it began, as PVE cleans up a failed
    clone); a hanging task never stops and keeps its lock.
    """
    def body() -> None:
        time.sleep(seconds / 2)
        task.log.append("50% done")
        if task.kind in faults.hang:
            return
        if task.kind in faults.fail:
            with lock:
                on_fail()
                on_end()
                task.status, task.exitstatus = "stopped", f"{task.kind} failed: injected fault"
            return
        time.sleep(seconds / 2)
        with lock:
            try:
                work()
                task.exitstatus = "OK"
            except Exception as exc:  # the task's error becomes its exit status, as in PVE
                task.exitstatus = str(exc)
            on_end()
            task.status = "stopped"

    threading.Thread(target=body, daemon=True).start()

"""One informer loop: LIST, then WATCH from the list's resourceVersion, for ever, handing each
added or modified object to a handler; a 410 Gone or a dropped connection lists again.

A kind that is not served yet (a custom resource before its CRD) is listed again every second.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

from homestack_testing.controlplane.api import Api, ApiError, Credentials, TransportError

Handler = Callable[[Api, dict[str, Any]], None]
Report = Callable[[str, str, str], None]


def _list_then_watch(api: Api, path: str, stopping: threading.Event
                     ) -> Iterator[dict[str, Any]]:
    listed = api.request("GET", path)
    yield from listed.get("items") or []
    version = listed["metadata"]["resourceVersion"]
    while not stopping.is_set():
        for event in api.watch(path, version):
            kind, obj = event.get("type"), event.get("object") or {}
            if kind == "ERROR":
                raise ApiError("WATCH", path, int(obj.get("code", 500)), obj)
            version = obj.get("metadata", {}).get("resourceVersion", version)
            if kind in ("ADDED", "MODIFIED"):
                yield obj


def run(credentials: Credentials, path: str, handle: Handler, stopping: threading.Event,
        report: Report) -> None:
    """Feed every object at ``path`` to ``handle`` until ``stopping`` is set.

    ``handle`` may raise ApiError: a 404 or 409 (the object went or changed meanwhile; a new
    event follows) is ignored, anything else reported as ``report("error", subject, text)``.
    """
    api = Api(credentials)
    try:
        while not stopping.is_set():
            try:
                for obj in _list_then_watch(api, path, stopping):
                    if stopping.is_set():
                        return
                    handle_one(api, handle, obj, report)
            except ApiError as error:
                stopping.wait(1.0 if error.status == 404 else 0.2)
            except (OSError, ValueError, TransportError):
                stopping.wait(0.2)
    finally:
        api.close()


def handle_one(api: Api, handle: Handler, obj: dict[str, Any], report: Report) -> None:
    try:
        handle(api, obj)
    except ApiError as error:
        if error.status not in (404, 409):
            meta = obj.get("metadata") or {}
            report("error", f"{obj.get('kind', 'object')} {meta.get('namespace', '')}/"
                            f"{meta.get('name')}", str(error))

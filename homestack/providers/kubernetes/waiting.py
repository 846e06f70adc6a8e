"""Waiting on the API server: until applied objects are ready, until deleted ones are gone.

A ``Waiter`` is made per apply from the target's request functions and options; it keeps
nothing between runs. Waits are bounded: per-kind timeouts (or the run's ``timeout``), and a
readiness rule that says failed stops the wait at once with its reason. A Pending claim is
judged by its StorageClass (see ``claims``), read once per wait. A workload that times out
names what its Pods say (``podreasons``), read once, at the timeout.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homestack.model import Resource
from homestack.model.address import Address
from homestack.model.readiness import Readiness
from homestack.providers.errors import NotFoundError, NotReadyError, ProviderError
from homestack.providers.kubernetes.claims import default_class, pending_claim
from homestack.providers.kubernetes.podreasons import pod_reasons, pod_selector
from homestack.providers.kubernetes.readiness import rule_for

STORAGE_CLASS = ("storage.k8s.io/v1", "StorageClass")
LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class Waiter:
    """Polls with ``get`` (raises NotFoundError when gone) every ``poll`` seconds;
    ``classes`` lists the StorageClasses; ``timeout`` overrides the per-kind timeouts."""

    get: Callable[[Address], dict[str, Any]]
    classes: Callable[[], list[dict[str, Any]]]
    poll: float
    timeout: float | None = None
    # The Pods of a namespace matching labels: read only when a workload's wait times out.
    pods: Callable[[str, dict[str, str]], list[dict[str, Any]]] | None = None

    def gone(self, address: Address) -> None:
        """Poll until the object is gone (finalizers run, a Namespace empties), boundedly."""
        _, timeout = rule_for(address.kind)
        deadline = time.monotonic() + (self.timeout or timeout)
        said = False
        while True:
            try:
                live = self.get(address)
            except NotFoundError:
                return
            metadata = live.get("metadata") or {}
            held = ", ".join(metadata.get("finalizers") or []) or "no finalizers"
            if not said:
                # One progress line per object, so a long Namespace termination is visible.
                LOG.info("waiting for %s to be deleted (held by %s)", address, held)
                said = True
            if time.monotonic() > deadline:
                raise NotReadyError(f"still terminating after the timeout (held by {held})",
                                    subject=str(address),
                                    hint="Check what holds its finalizers; apply again once "
                                         "it is gone")
            time.sleep(self.poll)

    def ready(self, objects: list[dict[str, Any]]) -> None:
        """Wait until every object is ready; a rule that says failed stops the wait at once."""
        pending = {}
        classes: dict[str | None, dict[str, Any] | None] = {}
        for obj in objects:
            address = Resource.k8s(obj).typed_address
            rule, timeout = rule_for(obj["kind"])
            # The write's answer carries status; a new claim is always Pending there, so its
            # StorageClass is only read if it is still Pending at the next look.
            verdict = rule(obj)
            _raise_if_failed(address, verdict.done, verdict.ok, verdict.message)
            if not verdict.done:
                pending[address] = time.monotonic() + (self.timeout or timeout)
        while pending:
            for address in list(pending):
                live = self.get(address)
                verdict = self._refined(live, rule_for(address.kind)[0](live), classes)
                _raise_if_failed(address, verdict.done, verdict.ok, verdict.message)
                if verdict.done:
                    del pending[address]
                elif time.monotonic() > pending[address]:
                    why = "; ".join(filter(None, (verdict.message, self._why(live))))
                    raise NotReadyError(f"not ready in time ({why})", subject=str(address),
                                        hint="Check the object's events and status")
            if pending:
                time.sleep(self.poll)

    def _why(self, workload: dict[str, Any]) -> str:
        """What the workload's Pods say, when it has a selector and Pods can be listed."""
        selector = pod_selector(workload)
        namespace = (workload.get("metadata") or {}).get("namespace")
        if self.pods is None or not selector or not namespace:
            return ""
        try:
            return pod_reasons(self.pods(str(namespace), selector))
        except ProviderError:
            return ""  # the timeout is the failure; the Pods only explain it

    def _refined(self, obj: dict[str, Any], verdict: Readiness,
                 classes: dict[str | None, dict[str, Any] | None]) -> Readiness:
        """A Pending claim's verdict from its StorageClass (read once per wait)."""
        if obj.get("kind") != "PersistentVolumeClaim" or verdict.done:
            return verdict

        def lookup(name: str | None) -> dict[str, Any] | None:
            if name not in classes:
                classes[name] = self._storage_class(name)
            return classes[name]

        return pending_claim(obj, verdict, lookup)

    def _storage_class(self, name: str | None) -> dict[str, Any] | None:
        if name is None:
            return default_class(self.classes())
        try:
            return self.get(Address.parse(f"k8s:{STORAGE_CLASS[0]}:{STORAGE_CLASS[1]}:{name}"))
        except NotFoundError:
            return None


def _raise_if_failed(address: Address, done: bool, ok: bool, message: str) -> None:
    if done and not ok:
        raise NotReadyError(message, subject=str(address),
                            hint="Check the object's events and status")

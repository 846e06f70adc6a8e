"""A database static role rotates a real PostgreSQL user's password through a real OpenBao,
and the new password logs in."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import TYPE_CHECKING

import psycopg
import pytest

from tests.state.conftest import PostgresServer, postgres_server

if TYPE_CHECKING:
    from tests.providers.vault.conftest import VaultLab

__all__ = ["postgres_server"]

SITE = '''\
from homestack.model import Capability, Domains, Platform, Site, VaultDatabase, VaultSettings

site = Site(name="lab", domains=Domains(public="example.org", internal="home.arpa"),
            trusted_registries=("docker.io",),
            # the cluster side (ESO, the shared databases) is not what these tests apply
            platform=Platform(present=(Capability.EXTERNAL_SECRETS, Capability.POSTGRES,
                                       Capability.MYSQL)),
            vault=VaultSettings(address="{address}", stack="app", databases=(VaultDatabase(
                connection_url="postgresql://{{{{username}}}}:{{{{password}}}}@127.0.0.1:{port}/postgres?sslmode=disable",
                username="vault_admin", password="secret/dbaas#vault_password", stack="app"),)))
'''

STACK = '''\
from homestack import Stack, tier
from homestack.kit import deployment, namespace, postgres_database

stack = Stack("app", tier=tier.AUX)
namespace(stack)
db = postgres_database(stack, "shop")
deployment(stack, "web", image="docker.io/library/nginx:1.27.0", port=80, memory="64Mi",
           cpu="10m", env={"DB_PASSWORD": db.password})
'''


@pytest.fixture
def shop_user(postgres_server: PostgresServer) -> Iterator[str]:
    """The PostgreSQL role ``shop`` (password login enforced for it) and a Vault admin role."""
    hba = postgres_server.data / "pg_hba.conf"
    original = hba.read_text()
    # Only these two roles must prove a password; every other test keeps trust auth.
    hba.write_text("host all shop 127.0.0.1/32 scram-sha-256\n"
                   "host all vault_admin 127.0.0.1/32 scram-sha-256\n" + original)
    admin_password = secrets.token_hex(12)
    with psycopg.connect(postgres_server.url(), autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS shop")
        conn.execute("DROP ROLE IF EXISTS vault_admin")
        conn.execute("CREATE ROLE shop LOGIN PASSWORD 'initial-password'")
        conn.execute(f"CREATE ROLE vault_admin LOGIN SUPERUSER PASSWORD '{admin_password}'")
        conn.execute("SELECT pg_reload_conf()")
    yield admin_password
    hba.write_text(original)
    with psycopg.connect(postgres_server.url(), autocommit=True) as conn:
        conn.execute("SELECT pg_reload_conf()")


def _login(server: PostgresServer, password: str) -> bool:
    try:
        with psycopg.connect(host="127.0.0.1", port=server.port, user="shop",
                             password=password, dbname="postgres", connect_timeout=5) as conn:
            return conn.execute("SELECT current_user").fetchone() == ("shop",)
    except psycopg.OperationalError:
        return False


def test_static_role_rotates_a_real_postgres_password(
        vaultlab: VaultLab, postgres_server: PostgresServer, shop_user: str) -> None:
    (vaultlab.root / "site.py").write_text(SITE.format(address=vaultlab.server.address,
                                                       port=postgres_server.port))
    (vaultlab.root / "stacks" / "app" / "stack.py").write_text(STACK)
    vaultlab.server.cli("kv", "put", "secret/dbaas", f"vault_password={shop_user}")
    assert _login(postgres_server, "initial-password")
    done = vaultlab.run("apply", "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "vault:database:static-role:shop" in done.stdout
    creds = vaultlab.server.request("GET", "database/static-creds/shop")["data"]
    assert creds["username"] == "shop"
    assert not _login(postgres_server, "initial-password")
    assert _login(postgres_server, creds["password"])
    assert creds["password"] not in done.stdout + done.stderr
    again = vaultlab.run("plan", "--detailed-exitcode")
    assert again.returncode == 0, again.stdout + again.stderr

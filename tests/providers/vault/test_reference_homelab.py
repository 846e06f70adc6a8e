"""The reference homelab against a real OpenBao (and real PostgreSQL and MariaDB): the plan
lists policies, auth roles and static roles instead of ``skipped``, apply creates them, a
second plan is empty, and a hand-edited policy shows as drift."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from homestack.catalog import load
from homestack.engine import desired
from homestack.model import Provider
from homestack_testing.homelabs import copy_homelab
from homestack_testing.mariadb import MariaDbServer
from homestack_testing.openbao import OpenBaoServer
from tests.state.conftest import PostgresServer, postgres_server

__all__ = ["postgres_server"]

HOMELAB = Path(__file__).resolve().parents[3] / "examples" / "reference-homelab"
OVERRIDE = '''
# Test override: state in SQLite only, Vault at the test OpenBao.
from homestack.model import StateSettings, VaultDatabase, VaultSettings

site = site.model_copy(update={{"state": StateSettings(), "vault": VaultSettings(
    address="{address}", databases=(VaultDatabase(
        connection_url="postgresql://{{{{username}}}}:{{{{password}}}}@127.0.0.1:{port}/postgres?sslmode=disable",
        username="postgres", password="secret/dbaas#vault_password"), VaultDatabase(
        name="mysql", plugin="mysql-database-plugin",
        connection_url="{{{{username}}}}:{{{{password}}}}@tcp(127.0.0.1:{mysql_port})/",
        username="vault_admin", password="secret/dbaas#mysql_password"),))}})
'''


def _plant(root: Path, server: OpenBaoServer, pg: PostgresServer, my: MariaDbServer) -> None:
    """Put every referenced KV key into OpenBao and every static role's user into PostgreSQL
    or MariaDB (by the role's connection)."""
    wanted = desired(load(root))
    admin = secrets.token_hex(8)
    paths: dict[str, dict[str, str]] = {"secret/dbaas": {"vault_password": "unused",
                                                         "mysql_password": admin}}
    roles = set()
    mysql_users = set()
    for resources in wanted.resources.values():
        for resource in resources:
            for ref in resource.secret_refs:
                if ref.store == "vault-kv":
                    paths.setdefault(ref.path, {})[ref.key] = secrets.token_hex(8)
            if resource.provider is Provider.VAULT and resource.kind == "database:static-role":
                (mysql_users if resource.body["db_name"] == "mysql" else roles).add(
                    resource.name)
    for path, data in paths.items():
        mount, _, rest = path.partition("/")
        server.request("POST", f"{mount}/data/{rest}", {"data": data})
    with psycopg.connect(pg.url(), autocommit=True) as conn:
        for role in sorted(roles):
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')
            conn.execute(f'CREATE ROLE "{role}" LOGIN')
    statements = ["DROP USER IF EXISTS 'vault_admin'@'%'",
                  f"CREATE USER 'vault_admin'@'%' IDENTIFIED BY '{admin}'",
                  "GRANT ALL PRIVILEGES ON *.* TO 'vault_admin'@'%' WITH GRANT OPTION"]
    for user in sorted(mysql_users):
        statements += [f"DROP USER IF EXISTS '{user}'@'%'", f"CREATE USER '{user}'@'%'"]
    my.sql(";".join(statements))


@pytest.fixture
def homelab(tmp_path: Path, openbao: OpenBaoServer, postgres_server: PostgresServer,
            mariadb: MariaDbServer) -> Path:
    root = tmp_path / "homelab"
    copy_homelab(HOMELAB, root)
    site = root / "site.py"
    site.write_text(site.read_text() + OVERRIDE.format(address=openbao.address,
                                                       port=postgres_server.port,
                                                       mysql_port=mariadb.port))
    _plant(root, openbao, postgres_server, mariadb)
    return root


def _run(root: Path, server: OpenBaoServer, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VAULT_TOKEN": server.token, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "homestack", "-C", str(root), *args],
                          capture_output=True, text=True, env=env, check=False, timeout=300)


def _vault_changes(output: str) -> dict[str, str]:
    data = json.loads(output)
    return {c["address"]: c["action"] for s in data["stacks"] for c in s["changes"]
            if c["address"].startswith("vault:")}


def test_reference_homelab_applies_vault_objects(homelab: Path, openbao: OpenBaoServer) -> None:
    planned = _run(homelab, openbao, "plan", "--json")
    assert planned.returncode == 0, planned.stderr[-3000:]
    changes = _vault_changes(planned.stdout)
    assert "skipped" not in changes.values()
    kinds = {address.rpartition(":")[0] for address in changes}
    assert {"vault:policy", "vault:kubernetes:role", "vault:database:static-role",
            "vault:database:connection", "vault:mount"} <= kinds
    assert changes["vault:policy:homestack-immich"] == "create"
    assert changes["vault:policy:homestack-owner-robin"] == "create"

    applied = _run(homelab, openbao, "apply", "--yes")
    assert applied.returncode == 0, applied.stdout[-3000:] + applied.stderr[-3000:]
    assert openbao.request("GET", "database/static-roles/immich")["data"]["db_name"] == \
        "pg-shared"
    assert openbao.request("GET", "database/static-roles/nextcloud")["data"]["db_name"] == \
        "mysql"
    eso = openbao.request("GET", "auth/kubernetes/role/external-secrets")["data"]
    assert eso["token_policies"] == ["homestack-eso"]
    again = _run(homelab, openbao, "plan", "--detailed-exitcode")
    assert again.returncode == 0, again.stdout[-3000:]

    policy = openbao.request("GET", "sys/policies/acl/homestack-immich")["data"]["policy"]
    openbao.request("POST", "sys/policies/acl/homestack-immich",
                    {"policy": policy.replace('"read"', '"read", "list"')})
    drift = _run(homelab, openbao, "drift", "immich", "--json")
    assert drift.returncode == 2, drift.stdout[-3000:] + drift.stderr[-2000:]
    [change] = [c for s in json.loads(drift.stdout)["stacks"] for c in s["changes"]
                if c["address"] == "vault:policy:homestack-immich"]
    assert change["action"] == "update"
    assert change["note"].startswith("drift: changed outside Homestack")

"""A MySQL database static role: rendered by ``mysql_database``, planned and applied through a
real OpenBao, and rotating a real MariaDB user's password (the new password logs in)."""

from __future__ import annotations

import json
import secrets
import urllib.error
from typing import TYPE_CHECKING

from homestack import Stack, tier
from homestack.kit import mysql_database, namespace
from homestack.model import Domains, Site

if TYPE_CHECKING:
    from homestack_testing.mariadb import MariaDbServer
    from tests.providers.vault.conftest import VaultLab

SITE = '''\
from homestack.model import Capability, Domains, Platform, Site, VaultDatabase, VaultSettings

site = Site(name="lab", domains=Domains(public="example.org", internal="home.arpa"),
            trusted_registries=("docker.io",),
            # the cluster side (ESO, the shared databases) is not what these tests apply
            platform=Platform(present=(Capability.EXTERNAL_SECRETS, Capability.POSTGRES,
                                       Capability.MYSQL)),
            vault=VaultSettings(address="{address}", stack="app", databases=(VaultDatabase(
                name="mysql", plugin="mysql-database-plugin",
                connection_url="{{{{username}}}}:{{{{password}}}}@tcp(127.0.0.1:{port})/",
                username="vault_admin", password="secret/dbaas#vault_password", stack="app"),)))
'''

STACK = '''\
from homestack import Stack, tier
from homestack.kit import deployment, mysql_database, namespace

stack = Stack("app", tier=tier.AUX)
namespace(stack)
db = mysql_database(stack, "tavern")
deployment(stack, "web", image="docker.io/library/nginx:1.27.0", port=80, memory="64Mi",
           cpu="10m", env={"DB_PASSWORD": db.password})
'''


def test_mysql_database_renders_a_static_role_on_the_mysql_connection() -> None:
    stack = Stack("wiki", tier=tier.AUX)
    namespace(stack)
    db = mysql_database(stack, "legacy")
    rendered = {r.address: r for r in stack.render(
        Site(name="lab", domains=Domains(public="example.org", internal="home.arpa")))}
    role = rendered["vault:database:static-role:legacy"]
    assert role.body == {"db_name": "mysql", "username": "legacy", "rotation_period": "168h"}
    assert (db.password.store, db.password.path, db.password.key) == (
        "vault-database", "database/static-creds/legacy", "password")
    user_secret = rendered["k8s:external-secrets.io/v1:ExternalSecret:mysql/wiki-legacy-mysql"]
    spec = user_secret.body["spec"]
    assert spec["secretStoreRef"]["name"] == "vault-database"
    assert spec["data"][0]["remoteRef"] == {"key": "database/static-creds/legacy",
                                            "property": "password"}


def _write_lab(lab: VaultLab, port: int) -> None:
    (lab.root / "site.py").write_text(SITE.format(address=lab.server.address, port=port))
    (lab.root / "stacks" / "app" / "stack.py").write_text(STACK)


def test_plan_lists_the_mysql_connection_and_static_role(vaultlab: VaultLab) -> None:
    for path in ("database/static-roles/tavern", "database/config/mysql"):
        try:  # the OpenBao is shared by the session: start from no MySQL objects
            vaultlab.server.request("DELETE", path)
        except urllib.error.HTTPError as exc:
            assert exc.code == 404  # no database mount yet
    _write_lab(vaultlab, 3306)
    planned = vaultlab.run("plan", "--json")
    assert planned.returncode == 0, planned.stdout + planned.stderr
    changes = {c["address"]: c["action"] for stack in json.loads(planned.stdout)["stacks"]
               for c in stack["changes"]}
    assert changes["vault:database:connection:mysql"] == "create"
    assert changes["vault:database:static-role:tavern"] == "create"


def test_static_role_rotates_a_real_mysql_password(vaultlab: VaultLab,
                                                   mariadb: MariaDbServer) -> None:
    admin = secrets.token_hex(12)
    mariadb.sql("DROP USER IF EXISTS 'tavern'@'%'; DROP USER IF EXISTS 'vault_admin'@'%';"
                "CREATE USER 'tavern'@'%' IDENTIFIED BY 'initial-password';"
                f"CREATE USER 'vault_admin'@'%' IDENTIFIED BY '{admin}';"
                "GRANT ALL PRIVILEGES ON *.* TO 'vault_admin'@'%' WITH GRANT OPTION;")
    assert mariadb.login("tavern", "initial-password") is not None
    _write_lab(vaultlab, mariadb.port)
    vaultlab.server.cli("kv", "put", "secret/dbaas", f"vault_password={admin}")
    done = vaultlab.run("apply", "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "vault:database:static-role:tavern" in done.stdout
    connection = vaultlab.server.request("GET", "database/config/mysql")["data"]
    assert connection["plugin_name"] == "mysql-database-plugin"
    assert connection["connection_details"]["username"] == "vault_admin"
    role = vaultlab.server.request("GET", "database/static-roles/tavern")["data"]
    assert (role["db_name"], role["username"], role["rotation_period"]) == (
        "mysql", "tavern", 168 * 3600)
    creds = vaultlab.server.request("GET", "database/static-creds/tavern")["data"]
    assert mariadb.login("tavern", "initial-password") is None
    assert mariadb.login("tavern", creds["password"]) is not None
    assert creds["password"] not in done.stdout + done.stderr
    assert admin not in done.stdout + done.stderr
    again = vaultlab.run("plan", "--detailed-exitcode")
    assert again.returncode == 0, again.stdout + again.stderr

"""``homestack access`` on the reference homelab: every ingress host with its groups and users."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from homestack.cli import app
from homestack.model import annotations as a
from homestack.policy.access import access_matrix
from homestack.policy.context import Item
from homestack.policy.rules.auth import hosts
from tests.examples.test_reference_homelab import HOMELAB, ROOT, WANTED

IDENTITY = HOMELAB.site.identity


def _ingress_hosts() -> set[str]:
    return {host for stack, rendered in WANTED.resources.items() for r in rendered
            if r.k8s_kind in ("Ingress", "IngressRoute") for host in hosts(Item(stack, r))}


def test_every_ingress_host_is_listed_with_its_groups() -> None:
    result = CliRunner().invoke(app, ["-C", str(ROOT), "access", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {row["host"] for row in rows} == _ingress_hosts()
    for row in rows:
        if row["auth"] == "required":
            assert IDENTITY.admin_group in row["groups"], row
            assert "alex" in row["users"], row  # the admin is always allowed
            assert not row["anyone"]
        else:
            assert row["groups"] == [] and row["anyone"], row


def test_users_are_the_members_of_the_allowed_groups() -> None:
    rows = access_matrix(IDENTITY, WANTED.resources)
    members = {group.name: set(group.members) for group in IDENTITY.groups}
    family = [row for row in rows if "family" in row.groups]
    assert family, "the reference homelab has a family-only host"
    for row in family:
        expected = set().union(*(members[g] for g in row.groups))
        assert set(row.users) == expected
    # a host's groups are exactly what its Ingress annotation says, plus the admin group
    for row in rows:
        if row.auth != "required":
            continue
        body = next(r.body for r in WANTED.resources[row.stack] if r.address == row.address)
        declared = body["metadata"]["annotations"][a.ALLOWED_GROUPS].split(",")
        assert set(row.groups) == {*declared, IDENTITY.admin_group}


def test_the_table_lists_hosts() -> None:
    result = CliRunner().invoke(app, ["-C", str(ROOT), "access"])
    assert result.exit_code == 0, result.output
    assert "(anyone)" in result.stdout and "required" in result.stdout

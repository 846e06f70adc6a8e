"""The reference homelab copied to a temporary folder, its Site pointed at a real BIND server
(internal zone and the split-horizon public names) and the fake Cloudflare API; Kubernetes
objects go to the GitOps target, so no cluster is needed. Runs the real command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from homestack_testing.bind import BindServer
from homestack_testing.cloudflare import CloudflareApi
from homestack_testing.homelabs import copy_homelab

from .conftest import TOKEN_ENV, TSIG_ENV

REFERENCE = Path(__file__).resolve().parents[3] / "examples" / "reference-homelab"


class DnsLab:
    """A reference homelab copy wired to ``bind`` and ``api``."""

    def __init__(self, root: Path, bind: BindServer, api: CloudflareApi) -> None:
        copy_homelab(REFERENCE, root)
        self.root, self.bind, self.api = root, bind, api
        site = root / "site.py"
        text = site.read_text()
        assert "    cluster=None,\n" in text
        settings = (
            "    cluster=None,\n"
            "    dns=DnsSettings(\n"
            f"        cloudflare=CloudflareDns(zones=('example.org',), base_url={api.url!r},\n"
            f"                                 token_env={TOKEN_ENV!r}, page_size=5),\n"
            f"        rfc2136=Rfc2136Dns(server='127.0.0.1', port={bind.port},\n"
            f"                           zones=('home.arpa', 'example.org'),\n"
            f"                           tsig_key_name={bind.key_name!r},\n"
            f"                           tsig_secret_env={TSIG_ENV!r}),\n"
            "    ),\n")
        text = text.replace("    cluster=None,\n", settings)
        # Short leases, so that a killed run's leases expire within a test.
        assert "    state=StateSettings(\n" in text
        text = text.replace("    state=StateSettings(\n",
                            "    state=StateSettings(\n        lease_ttl_seconds=3.0,\n")
        assert "from homestack import (\n" in text
        text = text.replace("from homestack import (\n",
                            "from homestack import (\n    CloudflareDns,\n"
                            "    DnsSettings,\n    Rfc2136Dns,\n")
        site.write_text(text)
        # Bootstrap-tier state is age-encrypted: a local identity reads what runs write.
        self.identity = root / ".homestack" / "age.key"
        keygen = subprocess.run(self.command("state", "keygen", "-o", str(self.identity)),
                                capture_output=True, text=True, env=self.env, check=False)
        assert keygen.returncode == 0, keygen.stderr

    @property
    def env(self) -> dict[str, str]:
        """The environment a run needs: the token and the TSIG secret, by their names."""
        return {**os.environ, TOKEN_ENV: self.api.token, TSIG_ENV: self.bind.secret,
                "NO_COLOR": "1", "HOMESTACK_AGE_IDENTITY": str(self.root / ".homestack" /
                                                               "age.key")}

    def command(self, *args: str) -> list[str]:
        """The homestack command line for this homelab."""
        return [sys.executable, "-m", "homestack", "-C", str(self.root), *args]

    def run(self, *args: str) -> tuple[int, dict[str, Any]]:
        """Run a verb with ``--json``; returns the exit code and the change set."""
        done = subprocess.run(self.command(*args, "--json"), capture_output=True, text=True,
                              env=self.env, check=False, timeout=300)
        try:
            return done.returncode, json.loads(done.stdout)
        except json.JSONDecodeError:
            raise AssertionError(done.stdout + done.stderr) from None

    def edit(self, stack: str, old: str, new: str) -> None:
        """Change a stack file."""
        path = self.root / "stacks" / stack / "stack.py"
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new))


def dns_changes(changeset: dict[str, Any]) -> dict[str, str]:
    """Action of every DNS Resource in a change set, by address."""
    return {c["address"]: c["action"] for s in changeset["stacks"] for c in s["changes"]
            if c["address"].startswith("dns:")}


def public_records(api: CloudflareApi) -> dict[tuple[str, str], dict[str, Any]]:
    """The fake Cloudflare zone's records by (name, type)."""
    return {(r["name"], r["type"]): r for r in api.records("example.org")}

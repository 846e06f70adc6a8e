"""End-to-end runs against every real component at once: the real control plane, OpenBao,
PostgreSQL, MariaDB and BIND, and the loopback fakes of Cloudflare and Proxmox."""

from __future__ import annotations

from tests.providers.dns_provider.conftest import bind, cloudflare_api
from tests.providers.vault.conftest import mariadb, openbao
from tests.state.conftest import postgres_server

__all__ = ["bind", "cloudflare_api", "mariadb", "openbao", "postgres_server"]

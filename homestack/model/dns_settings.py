"""DNS settings of a Site: which backend serves which record family, and how to reach it.

The kit renders records as ``dns:<family>:<TYPE>:<name>`` Resources. ``cloudflare`` records
(the public domain) go to the Cloudflare API; ``technitium`` records (the internal zone) go
to a server that accepts RFC 2136 dynamic updates with TSIG (Technitium, BIND, Knot,
PowerDNS). Secrets are never values here: the API token and the TSIG secret are named by the
environment variable that holds them.
"""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator

from homestack.model.modelconfig import FROZEN

CLOUDFLARE_FAMILY = "cloudflare"
INTERNAL_FAMILY = "technitium"


def _zone(value: str) -> str:
    text = value.strip().rstrip(".").lower()
    if not text or " " in text:
        raise ValueError(f"{value!r} is not a DNS zone name")
    return text


class CloudflareDns(BaseModel):
    """The Cloudflare zones records of the ``cloudflare`` family go to.

    ``token_env`` names the environment variable that holds the API token (never the token
    itself); ``base_url`` overrides the API address (tests, proxies); ``max_retries`` is how
    often a 429 or 5xx is retried (honouring ``Retry-After``); ``page_size`` the records per
    listed page.
    """

    model_config = FROZEN
    zones: tuple[str, ...] = Field(min_length=1)
    token_env: str = "CLOUDFLARE_API_TOKEN"
    base_url: str | None = None
    max_retries: int = Field(default=4, ge=0, le=10)
    page_size: int = Field(default=100, ge=5, le=5000)
    default_ttl: int = 1

    @field_validator("zones")
    @classmethod
    def _zones(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_zone(z) for z in value)

    @field_validator("default_ttl")
    @classmethod
    def _ttl(cls, value: int) -> int:
        if value != 1 and not 30 <= value <= 86400:
            raise ValueError(f"ttl {value} must be 1 (automatic) or 30..86400")
        return value


class Rfc2136Dns(BaseModel):
    """A DNS server taking RFC 2136 updates signed with TSIG, for the ``technitium`` family.

    ``zones`` are the zones it is primary for (a split-horizon copy of the public domain
    included); ``tsig_secret_env`` names the environment variable holding the base64 secret.
    Zones are read by a TSIG-signed zone transfer (AXFR), once per run.
    """

    model_config = FROZEN
    server: str
    port: int = Field(default=53, ge=1, le=65535)
    zones: tuple[str, ...] = Field(min_length=1)
    tsig_key_name: str
    tsig_algorithm: str = "hmac-sha256"
    tsig_secret_env: str = "HOMESTACK_TSIG_SECRET"
    timeout: float = Field(default=5.0, gt=0)
    default_ttl: int = Field(default=300, ge=0, le=2_147_483_647)

    @field_validator("zones")
    @classmethod
    def _zones(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_zone(z) for z in value)


class DnsSettings(BaseModel):
    """Which DNS backends the Site configures; a family without one shows as skipped.

    ``adopt`` lists record names (``mail.example.org``) Homestack may take over although it
    did not create them; any other record it finds in its way is reported as a conflict and
    left alone.
    """

    model_config = FROZEN
    cloudflare: CloudflareDns | None = None
    rfc2136: Rfc2136Dns | None = None
    adopt: tuple[str, ...] = ()

    @field_validator("adopt")
    @classmethod
    def _adopt(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_zone(z) for z in value)

    def zones_of(self, family: str) -> tuple[str, ...]:
        """The zones the backend of ``family`` serves (empty: the family is not configured)."""
        if family == CLOUDFLARE_FAMILY and self.cloudflare is not None:
            return self.cloudflare.zones
        if family == INTERNAL_FAMILY and self.rfc2136 is not None:
            return self.rfc2136.zones
        return ()


def zone_of(name: str, zones: tuple[str, ...]) -> str | None:
    """The longest of ``zones`` that ``name`` lies in, or None."""
    name = name.rstrip(".").lower()
    inside = [z for z in zones if name == z or name.endswith(f".{z}")]
    return max(inside, key=len) if inside else None

"""Where the Site keeps its state: the backend for standard Stacks and the bootstrap tier."""

from __future__ import annotations

import enum

from pydantic import BaseModel, Field

from homestack.model.modelconfig import FROZEN
from homestack.model.vault_settings import TransitSettings

STATE_URL_ENV = "HOMESTACK_STATE_URL"
"""Environment variable with a PostgreSQL URL: set, it selects PostgreSQL whatever the Site says."""


class StateBackend(enum.Enum):
    """The store that holds the state of standard-tier Stacks."""

    SQLITE = "sqlite"
    POSTGRES = "postgres"


class StateTier(enum.Enum):
    """Which store a Stack's state lives in (orthogonal to the namespace tier)."""

    BOOTSTRAP = "bootstrap"
    STANDARD = "standard"


class StateSettings(BaseModel):
    """State settings of a Site.

    ``path`` is relative to the homelab repository; ``url`` is the PostgreSQL URL (the
    ``HOMESTACK_STATE_URL`` environment variable wins over it, and alone selects PostgreSQL).
    Bootstrap Stacks keep their state age-encrypted under ``bootstrap_dir`` for
    ``age_recipients`` and, with ``transit``, for an identity a Vault Transit key unwraps
    (either can decrypt).
    """

    model_config = FROZEN

    backend: StateBackend = StateBackend.SQLITE
    path: str = ".homestack/state.db"
    url: str | None = None
    bootstrap_stacks: tuple[str, ...] = ()
    bootstrap_dir: str = "state"
    age_recipients: tuple[str, ...] = ()
    lease_ttl_seconds: float = Field(default=60.0, gt=0)
    transit: TransitSettings | None = None

"""Homestack: a homelab as code. Site + Stacks → Resources → policy → graph → plan → apply."""

from homestack.model import (
    NamespaceTier,
    Resource,
    SecretRef,
    Site,
    Stack,
    StateTier,
)

tier = NamespaceTier

__all__ = ["NamespaceTier", "Resource", "SecretRef", "Site", "Stack", "StateTier", "tier"]
__version__ = "0.1.0"

"""Generated secrets: values Homestack creates in Vault KV when they are missing.

The Stack declares only the shape (length, alphabet, generation); the vault target draws the
value at apply time and writes it straight to KV with check-and-set, so it never enters a
Resource, a plan, the state or a log. An existing key is never overwritten; raising
``generation`` asks for one rotation.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass

from homestack.kit._strict import strict
from homestack.model import ModelError, Provider, RenderContext, Resource, SecretRef, Stack

ALPHANUMERIC = string.ascii_letters + string.digits
GENERATED_KIND = "kv:generated"


@dataclass
class GeneratedSecret:
    """A KV key Homestack fills with a random value when it is missing."""

    ref: SecretRef
    length: int
    alphabet: str
    generation: int

    @property
    def name(self) -> str:
        """``path#key``: unique inside the Stack."""
        return f"{self.ref.path}#{self.ref.key}"

    def render(self, context: RenderContext) -> Sequence[Resource]:
        body = {"path": self.ref.path, "key": self.ref.key, "length": self.length,
                "alphabet": self.alphabet, "generation": self.generation}
        return [Resource(provider=Provider.VAULT, kind=GENERATED_KIND, name=self.name,
                         body=body)]


@strict
def generated_secret(stack: Stack, ref: str | SecretRef, *, length: int = 32,
                     alphabet: str = ALPHANUMERIC, generation: int = 1) -> SecretRef:
    """Declare a KV secret Homestack creates once (never printed); return its reference.

    Example::

        password = generated_secret(stack, "secret/privatebin#admin_password", length=40)
        deployment(stack, "app", ..., env={"ADMIN_PASSWORD": password})
    """
    parsed = ref if isinstance(ref, SecretRef) else SecretRef.parse(ref)
    if not 16 <= length <= 4096:
        raise ModelError(f"generated secret {parsed.path}#{parsed.key}: length {length} is "
                         "out of range", hint="Use a length between 16 and 4096")
    if len(set(alphabet)) < 10:
        raise ModelError(f"generated secret {parsed.path}#{parsed.key}: the alphabet has "
                         f"{len(set(alphabet))} distinct characters",
                         hint="Use an alphabet of at least 10 distinct characters")
    if generation < 1:
        raise ModelError(f"generated secret {parsed.path}#{parsed.key}: generation "
                         f"{generation} must be 1 or more", hint="Raise it by one to rotate")
    stack.add(GeneratedSecret(ref=parsed, length=length, alphabet="".join(sorted(set(alphabet))),
                              generation=generation))
    return parsed

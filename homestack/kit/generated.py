"""Generated secrets: values Homestack creates in Vault KV when they are missing.

The Stack declares only the shape (length, alphabet, generation); the vault target draws the
value at apply time and writes it straight to KV with check-and-set, so it never enters a
Resource, a plan, the state or a log. An existing key is never overwritten; raising
``generation`` asks for one rotation.

``kind="age"`` or ``kind="ssh-ed25519"`` declares a keypair instead: the private key goes to
``key`` and the public key to ``<key>_public`` of the same path (``public_key_of`` gives its
reference), both written in the same KV version.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass

from homestack.kit._strict import strict
from homestack.model import ModelError, Provider, RenderContext, Resource, SecretRef, Stack

ALPHANUMERIC = string.ascii_letters + string.digits
GENERATED_KIND = "kv:generated"
PASSWORD = "password"
KEYPAIRS = ("age", "ssh-ed25519")
PUBLIC_SUFFIX = "_public"


@strict
def public_key_of(ref: SecretRef) -> SecretRef:
    """The reference of the public half of the keypair generated at ``ref``."""
    return SecretRef(path=ref.path, key=ref.key + PUBLIC_SUFFIX, store=ref.store)


@dataclass
class GeneratedSecret:
    """A KV key Homestack fills with a random value when it is missing."""

    ref: SecretRef
    length: int
    alphabet: str
    generation: int
    kind: str = PASSWORD

    @property
    def name(self) -> str:
        """``path#key``: unique inside the Stack."""
        return f"{self.ref.path}#{self.ref.key}"

    def render(self, context: RenderContext) -> Sequence[Resource]:
        body: dict[str, object]
        if self.kind == PASSWORD:
            body = {"path": self.ref.path, "key": self.ref.key, "length": self.length,
                    "alphabet": self.alphabet, "generation": self.generation}
        else:
            body = {"path": self.ref.path, "key": self.ref.key, "kind": self.kind,
                    "public_key": self.ref.key + PUBLIC_SUFFIX, "generation": self.generation}
        return [Resource(provider=Provider.VAULT, kind=GENERATED_KIND, name=self.name,
                         body=body)]


@strict
def generated_secret(stack: Stack, ref: str | SecretRef, *, length: int = 32,
                     alphabet: str = ALPHANUMERIC, generation: int = 1,
                     kind: str = PASSWORD) -> SecretRef:
    """Declare a KV secret Homestack creates once (never printed); return its reference.

    ``kind`` is ``password`` (random, of ``length`` characters of ``alphabet``), ``age`` (an
    X25519 age identity) or ``ssh-ed25519`` (an OpenSSH private key); a keypair's public key
    is stored beside it as ``<key>_public`` (see ``public_key_of``).

    Example::

        password = generated_secret(stack, "secret/privatebin#admin_password", length=40)
        deployment(stack, "app", ..., env={"ADMIN_PASSWORD": password})
        deploy_key = generated_secret(stack, "secret/ci#deploy_key", kind="ssh-ed25519")
    """
    parsed = ref if isinstance(ref, SecretRef) else SecretRef.parse(ref)
    if kind != PASSWORD and kind not in KEYPAIRS:
        raise ModelError(f"generated secret {parsed.path}#{parsed.key}: kind {kind!r} is not "
                         "known", hint=f"Use one of: {', '.join((PASSWORD, *KEYPAIRS))}")
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
                              generation=generation, kind=kind))
    return parsed

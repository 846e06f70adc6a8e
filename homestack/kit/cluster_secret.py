"""``cluster_secret``: a Kubernetes Secret of random values that exist only in the cluster.

For a homelab without Vault (``homestack init --platform minimal``): the Stack declares the
Secret's name and keys, and the kube target draws each missing value when it writes the Secret
(``providers/kubernetes/generated.py``). No value is in the stack file, the plan, the state,
the logs or Git; a homelab with Vault keeps using ``generated_secret`` and ``vault_secret``.
The GitOps target cannot write such a Secret (its values would have to be in Git) and says so.

Example::

    login = cluster_secret(stack, "db-login", keys=["password"])
    deployment(stack, "app", ..., env={"DB_PASSWORD": login["password"]})
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from homestack.kit._arguments import checked
from homestack.kit._meta import check_name, metadata
from homestack.kit._strict import strict
from homestack.kit.namespace import implied_namespace
from homestack.kit.secrets import SecretKey
from homestack.model import ModelError, RenderContext, Resource, Stack
from homestack.model import annotations as ann

_KEY = re.compile(r"^[-._a-zA-Z0-9]{1,253}$")  # a Secret data key
MIN_LENGTH = 16
MAX_LENGTH = 128


@dataclass
class ClusterSecret:
    """A Secret whose keys the kube target fills with random values."""

    name: str
    keys: tuple[str, ...]
    length: int

    @property
    def volume_name(self) -> str:
        """Pod volume name when mounted as files."""
        return self.name

    def volume_source(self, context: RenderContext) -> dict[str, Any]:
        """The pod volume that mounts every key as a file."""
        return {"secret": {"secretName": self.name}}

    def __getitem__(self, key: str) -> SecretKey:
        if key not in self.keys:
            raise ModelError(f"cluster_secret {self.name!r} has no key {key!r}",
                             hint=f"Known keys: {', '.join(self.keys)}")
        return SecretKey(secret=self.name, key=key)

    def render(self, context: RenderContext) -> Sequence[Resource]:
        notes = {ann.GENERATED_KEYS: ",".join(self.keys),
                 ann.GENERATED_LENGTH: str(self.length)}
        body = {"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
                "metadata": metadata(context.stack, self.name, annotations=notes)}
        return [Resource.k8s(body)]


@strict
@checked
def cluster_secret(stack: Stack, name: str, *, keys: Sequence[str] = ("password",),
                   length: int = 32) -> ClusterSecret:
    """Declare a Secret whose ``keys`` get random values (``length`` bytes of randomness,
    URL-safe text) when the kube target first writes it; later applies keep them."""
    subject = f"cluster_secret {name}"
    check_name(name, "cluster_secret")
    given = tuple(keys) if not isinstance(keys, str) else (keys,)
    if not given or len(set(given)) != len(given):
        raise ModelError("keys must name at least one key, each once", subject=subject)
    for key in given:
        if not isinstance(key, str) or not _KEY.fullmatch(key) or "," in key:
            raise ModelError(f"key {key!r} is not a Secret key", subject=subject,
                             hint="Use letters, digits, '-', '_' and '.'")
    if isinstance(length, bool) or not MIN_LENGTH <= length <= MAX_LENGTH:
        raise ModelError(f"length {length!r} is outside {MIN_LENGTH}..{MAX_LENGTH}",
                         subject=subject)
    implied_namespace(stack)
    component = ClusterSecret(name=name, keys=given, length=length)
    stack.add(component)
    return component

"""What an ingress (or Anubis) can point at: anything with a name, a Service and a port.

Kit workloads, ``service(...)`` handles and Anubis proxies qualify; so does a small class of
the author's for a Service another Stack owns in the same namespace.
"""

from __future__ import annotations

from typing import Protocol


class Backend(Protocol):
    """Something an ingress can route to: a named Service and its port in the namespace."""

    @property
    def name(self) -> str:
        """Name of the backend (the default ingress name)."""
        ...

    @property
    def service(self) -> str:
        """Name of its Service."""
        ...

    @property
    def port(self) -> int | None:
        """Its Service port (None when it has none)."""
        ...

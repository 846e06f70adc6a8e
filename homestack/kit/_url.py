"""URLs known only once the Site is: an ingress host given as a label (``"immich"``).

``ingress(...).url`` returns a ``HostUrl``; workload env takes it and renders the full URL
(``https://immich.example.org``) with the Site's public domain.
"""

from __future__ import annotations

from dataclasses import dataclass

from homestack.model import Site


@dataclass(frozen=True)
class HostUrl:
    """``https://<host><path>``; a host without a dot is a label under the public domain."""

    host: str
    path: str = ""

    def resolve(self, site: Site) -> str:
        """The full URL for ``site``."""
        if self.host == "@":
            host = site.domains.public
        elif "." not in self.host:
            host = f"{self.host}.{site.domains.public}"
        else:
            host = self.host
        return f"https://{host}{self.path}"

    def __truediv__(self, path: str) -> HostUrl:
        """``ingress.url / "api"`` → ``https://host/api``."""
        return HostUrl(self.host, f"{self.path}/{path.lstrip('/')}")

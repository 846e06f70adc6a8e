"""The backup MX: a small cloud VM that queues mail while the homelab is down.

It lives outside the estate (a free-tier cloud instance with a reserved public IP, joined to
the mesh VPN with a pre-auth key from Vault), so Homestack has no provider for any of its
objects yet. The Stack exists so the graph, the docs and the catalog know the Service and
what it waits for; its VM is declared the day a cloud provider exists.
"""

from homestack import Stack

stack = Stack("backup-mx", needs=["vault", "mailserver"], owns_namespace=False,
              description="Secondary MX on a cloud VM (outside the cluster)")

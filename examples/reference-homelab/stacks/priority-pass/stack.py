"""Priority Pass helper: lounge lists and visit uploads for trips; frontend and API, uploads on NFS.
"""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, deployment, ingress, nfs_volume, vault_secret

stack = Stack("priority-pass", tier=tier.AUX,
              needs=["platform", "vault", "external-secrets", "authentik"],
              description="Airport lounge helper")
uploads = nfs_volume(stack, "uploads", export="/srv/nfs/priority-pass", size="2Gi")
backend = deployment(stack, "backend",
                     image="registry.home.arpa/homelab/priority-pass-backend:1.0.4",
                     memory="128Mi", memory_request="64Mi", cpu="10m", port=8000,
                     env={"SECRET_KEY": vault_secret(stack, "secret_key")},
                     mounts={"/uploads": uploads}, backend_kind="api")
frontend = deployment(stack, "frontend",
                      image="registry.home.arpa/homelab/priority-pass-frontend:1.0.4",
                      memory="64Mi", cpu="10m", port=3000, env={"API_URL": backend.url})
ingress(stack, frontend, name="priority-pass", host="priority-pass", dns="proxied",
        auth=auth.required(groups=["family"]),
        catalog=Catalog(name="Priority Pass", group="Travel",
                        description="Lounges and visits"))

"""Secrets that need templating: a config file with one password inside (ESO template), every
key of a Vault path (dataFrom), and both as env and files."""

from homestack import Stack, tier
from homestack.kit import deployment, external_secret

stack = Stack("bridge", tier=tier.AUX)
config = external_secret(
    stack, "bridge-config", {"password": "secret/bridge#db_password"},
    template={"config.yaml": "database:\n  user: bridge\n  password: {{ .password }}\n"},
)
env = external_secret(stack, "bridge-env", data_from=["secret/bridge-env"])
deployment(stack, "bridge", image="ghcr.io/acme/bridge:3.1.0", memory="64Mi", cpu="10m",
           env_from=[env], mounts={"/etc/bridge": config})

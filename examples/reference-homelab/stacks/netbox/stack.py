"""NetBox: the source of truth for IPs, VLANs, racks and cables of the homelab."""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    deployment,
    ingress,
    job,
    postgres_database,
    stack_ref,
    vault_secret,
)

stack = Stack("netbox", tier=tier.AUX, needs=["authentik", "redis"],
              description="IP address and inventory management")
REDIS = stack_ref("redis").service("redis")
IMAGE = "docker.io/netboxcommunity/netbox:v4.1.8"
db = postgres_database(stack, "netbox")
env = {"DB_HOST": db.host, "DB_NAME": db.database, "DB_USER": db.user,
       "DB_PASSWORD": db.password, "REDIS_HOST": REDIS.host,
       "REDIS_PASSWORD": vault_secret(stack, "password", path="secret/redis"),
       "SECRET_KEY": vault_secret(stack, "secret_key"),
       "REMOTE_AUTH_ENABLED": True, "REMOTE_AUTH_HEADER": "HTTP_X_AUTHENTIK_USERNAME"}
web = deployment(stack, "netbox", image=IMAGE, memory="768Mi", cpu="100m", port=8080, env=env)
job(stack, "import-site", image=IMAGE, memory="256Mi", cpu="100m",
    command=["/opt/netbox/venv/bin/python", "/opt/netbox/netbox/manage.py", "nbshell"],
    args=["--command", "from dcim.models import Site; Site.objects.get_or_create(name='home', "
          "slug='home')"],
    env=env)
ingress(stack, web, host="netbox", auth=auth.required(groups=["admins"]), scale_to_zero=True,
        catalog=Catalog(name="NetBox", group="Infrastructure", icon="netbox.png",
                        description="IPs, VLANs and the VM inventory"))

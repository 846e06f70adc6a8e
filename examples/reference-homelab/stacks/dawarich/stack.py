"""Dawarich: location history from the phones, a private alternative to a cloud timeline.

Phones post their positions with an API key, so the ingress has no forward-auth.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    deployment,
    ingress,
    postgres_database,
    stack_ref,
    vault_secret,
)

stack = Stack("dawarich", tier=tier.EDGE, needs=["authentik", "redis"],
              description="Location history")
REDIS = stack_ref("redis").service("redis", port=6379, scheme="redis")
IMAGE = "docker.io/freikin/dawarich:0.21.1"
db = postgres_database(stack, "dawarich")
env = {"DATABASE_HOST": db.host, "DATABASE_NAME": db.database, "DATABASE_USERNAME": db.user,
       "DATABASE_PASSWORD": db.password, "REDIS_URL": REDIS.url,
       "SECRET_KEY_BASE": vault_secret(stack, "secret_key_base"),
       "APPLICATION_HOSTS": "where.example.org", "RAILS_ENV": "production"}
app = deployment(stack, "dawarich", image=IMAGE, memory="512Mi", cpu="100m", port=3000,
                 command=["web-entrypoint.sh"], args=["bin/rails", "server", "-b", "0.0.0.0"],
                 env=env)
deployment(stack, "sidekiq", image=IMAGE, memory="512Mi", cpu="100m",
           command=["sidekiq-entrypoint.sh"], args=["bundle", "exec", "sidekiq"], env=env)
ingress(stack, app, host="where",
        auth=auth.none("Phones post positions with an API key; the web UI has its own login"),
        catalog=Catalog(name="Dawarich", group="Home", icon="dawarich.png",
                        description="Location history of the family's phones"))

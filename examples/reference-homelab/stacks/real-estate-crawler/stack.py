"""Wrongmove: a crawler of property listings with a map UI, for the house hunt.

The UI is public behind Anubis; its XHR API is carved out (forward-auth or PoW would break
the browser's calls). Celery workers crawl on the schedules in the env, results in Postgres,
listing photos on NFS.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    anubis,
    auth,
    deployment,
    external_secret,
    ingress,
    nfs_volume,
    postgres_database,
    stack_ref,
    vault_secret,
)

stack = Stack("real-estate-crawler", namespace="realestate-crawler", owns_namespace=True,
              tier=tier.AUX, needs=["platform", "vault", "redis"],
              description="Property listings crawler")
IMAGE = "registry.home.arpa/homelab/realestate-crawler:4.2.0"
REDIS = stack_ref("redis").service("redis", port=6379, scheme="redis")
db = postgres_database(stack, "realestate-crawler", database="realestate_crawler")
photos = nfs_volume(stack, "photos", export="/srv/nfs/realestate-crawler", size="50Gi")
secrets = external_secret(stack, "real-estate-crawler-env",
                          data_from=["secret/real-estate-crawler"])
slack = external_secret(stack, "realestate-crawler-slack", {
    "SLACK_WEBHOOK_URL": "secret/real-estate-crawler#slack_webhook_url"})
ENV = {"DB_HOST": db.host, "DB_NAME": db.database, "DB_USER": db.user,
       "DB_PASSWORD": db.password, "CELERY_BROKER_URL": f"{REDIS.url}/5",
       "REDIS_PASSWORD": vault_secret(stack, "password", path="secret/redis"),
       "SCRAPE_SCHEDULES": '[{"name": "london-rent-daily", "cron": "0 6 * * *"}, '
                           '{"name": "london-buy-weekly", "cron": "0 7 * * 1"}]'}
api = deployment(stack, "realestate-crawler-api", image=IMAGE, memory="384Mi",
                 memory_request="192Mi", cpu="50m", port=8000, args=["api"], env=ENV,
                 env_from=[secrets], mounts={"/photos": photos}, backend_kind="api")
deployment(stack, "realestate-crawler-worker", image=IMAGE, memory="512Mi",
           memory_request="256Mi", cpu="100m", args=["worker"], env=ENV,
           env_from=[secrets, slack], mounts={"/photos": photos})
deployment(stack, "realestate-crawler-beat", image=IMAGE, memory="128Mi", memory_request="64Mi",
           cpu="10m", args=["beat"], env=ENV)
ui = deployment(stack, "realestate-crawler-ui",
                image="registry.home.arpa/homelab/realestate-crawler-ui:4.2.0", memory="64Mi",
                cpu="10m", port=8080, env={"API_URL": api.url})
ingress(stack, anubis(stack, ui, name="wrongmove-anubis"), name="wrongmove", host="wrongmove",
        dns="proxied", auth=auth.none("Public map of listings; Anubis proof-of-work in front"),
        catalog=Catalog(name="Wrongmove", group="Home", description="Property listings on a map"))
ingress(stack, api, name="wrongmove-api", host="wrongmove", paths=["/api"], dns="proxied",
        auth=auth.none("XHR API of the public UI; forward-auth would break its CORS calls"),
        catalog=Catalog(hidden=True))

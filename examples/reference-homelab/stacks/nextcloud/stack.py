"""Nextcloud: files, calendars and contacts for the family.

Data on NFS (large, RWX), the config and app code on an encrypted block volume, the database on
the shared MariaDB. WebDAV, CalDAV and CardDAV clients cannot do forward-auth, so the app owns
its login; the .well-known redirects are an extra middleware.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    block_volume,
    cronjob,
    deployment,
    http_probe,
    ingress,
    mysql_database,
    nfs_volume,
    raw,
    stack_ref,
    vault_secret,
)

stack = Stack("nextcloud", tier=tier.EDGE, needs=["authentik", "redis"],
              description="Files, calendars and contacts")
REDIS = stack_ref("redis").service("redis")
IMAGE = "docker.io/library/nextcloud:30.0.4-apache"
db = mysql_database(stack, "nextcloud")
html = block_volume(stack, "html", size="10Gi")
files = nfs_volume(stack, "data", export="/srv/nfs/nextcloud", size="1Ti")
env = {"MYSQL_HOST": db.host, "MYSQL_DATABASE": db.database, "MYSQL_USER": db.user,
       "MYSQL_PASSWORD": db.password, "REDIS_HOST": REDIS.host,
       "REDIS_HOST_PASSWORD": vault_secret(stack, "password", path="secret/redis"),
       "NEXTCLOUD_TRUSTED_DOMAINS": "cloud.example.org", "OVERWRITEPROTOCOL": "https",
       "TRUSTED_PROXIES": "172.16.0.0/16", "PHP_UPLOAD_LIMIT": "10G",
       "PHP_MEMORY_LIMIT": "1G"}
app = deployment(
    stack, "nextcloud", image=IMAGE, memory="1536Mi", cpu="250m", port=80, env=env,
    mounts={"/var/www/html": html, "/var/www/html/data": files},
    probes=http_probe("/status.php", roles=["readiness"]),
)
cronjob(stack, "background-jobs", schedule="*/5 * * * *", image=IMAGE, memory="512Mi",
        cpu="100m", command=["php", "-f", "/var/www/html/cron.php"], env=env,
        mounts={"/var/www/html": html, "/var/www/html/data": files})
raw(stack, {
    "apiVersion": "traefik.io/v1alpha1",
    "kind": "Middleware",
    "metadata": {"name": "dav-redirect"},
    "spec": {"redirectRegex": {"permanent": True,
                               "regex": "https://(.*)/.well-known/(?:card|cal)dav",
                               "replacement": "https://${1}/remote.php/dav"}},
})
ingress(stack, app, host="cloud",
        auth=auth.app("Nextcloud has its own login and 2FA; DAV clients use app passwords"),
        backend_kind="webdav", max_body_size="10Gi", middlewares=["dav-redirect"],
        catalog=Catalog(name="Nextcloud", group="Productivity", icon="nextcloud.png",
                        description="Files, calendars and contacts"), external_monitor=True)

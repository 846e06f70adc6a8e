"""The shared MySQL (MariaDB) server, run by the mariadb-operator.

Apps declare their database, user and grant with ``mysql_database``, which renders the operator's
Database/User/Grant objects here; the root password comes from Vault. Nightly dumps to NFS.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    cronjob,
    deployment,
    external_secret,
    helm_release,
    ingress,
    nfs_volume,
    raw,
    stack_ref,
)

stack = Stack("mysql", tier=tier.CLUSTER, needs=["platform", "proxmox-csi", "traefik"],
              description="Shared MariaDB server")
MYSQL = stack_ref("mysql").service("mysql")
helm_release(stack, "mariadb-operator", chart="mariadb-operator",
             repo="https://helm.mariadb.com/mariadb-operator", version="0.38.1")
root = external_secret(stack, "mysql-root", {"password": "secret/mysql#root_password"})
raw(stack, {
    "apiVersion": "k8s.mariadb.com/v1alpha1",
    "kind": "MariaDB",
    "metadata": {"name": "mysql"},
    "spec": {
        "image": "docker.io/library/mariadb:11.4.4",
        "rootPasswordSecretKeyRef": {"name": "mysql-root", "key": "password"},
        "storage": {"size": "20Gi", "storageClassName": "proxmox-lvm-encrypted"},
        "port": 3306,
        "resources": {"requests": {"cpu": "200m", "memory": "1Gi"}, "limits": {"memory": "1Gi"}},
        "myCnf": "[mariadb]\nbind-address=*\ndefault_storage_engine=InnoDB\n"
                 "innodb_buffer_pool_size=512M\nmax_allowed_packet=256M\n",
        "metrics": {"enabled": True},
    },
}, name="server")

dumps = nfs_volume(stack, "dumps", export="/srv/nfs/mysql-dumps", size="50Gi")
cronjob(
    stack, "mysqldump", schedule="30 1 * * *", image="docker.io/library/mariadb:11.4.4",
    memory="256Mi", cpu="100m", command=["/bin/sh", "-c"],
    args=[f"mariadb-dump -h {MYSQL.host} -uroot --all-databases "
          "--single-transaction | gzip > /dumps/all-$(date +%F).sql.gz && "
          "find /dumps -name 'all-*.sql.gz' -mtime +14 -delete"],
    env={"MYSQL_PWD": root["password"]},
    mounts={"/dumps": dumps},
)
admin = deployment(
    stack, "phpmyadmin", image="docker.io/library/phpmyadmin:5.2.1", memory="128Mi", cpu="25m",
    port=80, env={"PMA_HOST": MYSQL.host, "UPLOAD_LIMIT": "256M"},
)
ingress(stack, admin, host="phpmyadmin", auth=auth.required(), max_body_size="256Mi",
        catalog=Catalog(name="phpMyAdmin", group="Data", icon="phpmyadmin.png",
                        description="Admin console of the shared MariaDB server"))

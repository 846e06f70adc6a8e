"""phpIPAM: the address plan of the LAN and VLANs, kept current from pfSense and DNS.

Behind forward-auth. Three CronJobs import pfSense's DHCP leases over SSH, sync hostnames to
internal DNS and check that addresses still answer.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    cronjob,
    deployment,
    external_secret,
    ingress,
    mysql_database,
    vault_secret,
)

stack = Stack("phpipam", tier=tier.AUX, needs=["platform", "authentik"],
              description="IP address management")
db = mysql_database(stack, "phpipam")
ssh = external_secret(stack, "phpipam-pfsense-ssh", {"id_ed25519": "secret/phpipam#pfsense_ssh"})
DB_ENV = {"IPAM_DATABASE_HOST": db.host, "IPAM_DATABASE_NAME": db.database,
          "IPAM_DATABASE_USER": db.user, "IPAM_DATABASE_PASS": db.password}
web = deployment(stack, "phpipam-web", image="docker.io/phpipam/phpipam-www:v1.7.4",
                 memory="256Mi", memory_request="128Mi", cpu="20m", port=80,
                 env={**DB_ENV, "TZ": "Europe/London", "IPAM_TRUST_X_FORWARDED": "true"})
ingress(stack, web, name="phpipam", host="phpipam", dns="proxied", auth=auth.required(),
        catalog=Catalog(name="phpIPAM", group="Infrastructure", icon="phpipam.png",
                        description="Address plan of the networks"))
CRON = "docker.io/phpipam/phpipam-cron:v1.7.4"
cronjob(stack, "pfsense-import", schedule="*/30 * * * *", image=CRON, memory="128Mi",
        cpu="20m", command=["/bin/sh", "-c"],
        args=["ssh -i /ssh/id_ed25519 -o StrictHostKeyChecking=accept-new admin@10.0.10.1 "
              "'cat /var/dhcpd/var/db/dhcpd.leases' | php /phpipam/functions/scripts/"
              "import-leases.php"],
        env=DB_ENV, mounts={"/ssh": ssh})
cronjob(stack, "dns-sync", schedule="*/15 * * * *", image="docker.io/library/mysql:8.0.40",
        memory="64Mi", cpu="10m", command=["/bin/sh", "-c"],
        args=["mysql -h \"$IPAM_DATABASE_HOST\" -u \"$IPAM_DATABASE_USER\" "
              "-p\"$IPAM_DATABASE_PASS\" \"$IPAM_DATABASE_NAME\" -e 'SELECT ip_addr, hostname "
              "FROM ipaddresses' > /tmp/hosts && echo synced"],
        env={**DB_ENV, "TECHNITIUM_TOKEN": vault_secret(stack, "technitium_token")})
cronjob(stack, "discovery", schedule="0 * * * *", image=CRON, memory="128Mi", cpu="20m",
        args=["php", "/phpipam/functions/scripts/pingCheck.php"], env=DB_ENV)

"""Mail: docker-mailserver for SMTP/IMAP on a dedicated LB IP, Roundcube as webmail.

The mail server terminates TLS itself with the namespace's wildcard copy, so it declares
``tls(stack)`` and mounts the Secret. Mail and its state are sensitive: encrypted volumes.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    block_volume,
    deployment,
    external_secret,
    ingress,
    load_balancer,
    mount,
    mysql_database,
    nfs_volume,
    secret_files,
    tcp_probe,
    tls,
)

stack = Stack("mailserver", tier=tier.EDGE, needs=["traefik", "mysql"],
              description="Mail server and webmail")
certificate = tls(stack)

mail = block_volume(stack, "mail-data", size="20Gi", storage_limit="60Gi")
state = block_volume(stack, "mail-state", size="1Gi")
archive = nfs_volume(stack, "archive", export="/srv/nfs/mail-archive", size="100Gi")
dkim = external_secret(stack, "dkim", {"example.org.private": "secret/mailserver#dkim_private_key"})
server = deployment(
    stack, "mailserver", image="ghcr.io/docker-mailserver/docker-mailserver:14.0.0",
    memory="1Gi", cpu="200m",
    ports={"smtp": 25, "submissions": 465, "submission": 587, "imaps": 993},
    env={"OVERRIDE_HOSTNAME": "mail.example.org", "SSL_TYPE": "manual",
         "SSL_CERT_PATH": "/etc/tls/tls.crt", "SSL_KEY_PATH": "/etc/tls/tls.key",
         "ENABLE_RSPAMD": True, "ENABLE_CLAMAV": False, "ENABLE_FAIL2BAN": False,
         "ENABLE_OPENDKIM": False, "POSTMASTER_ADDRESS": "postmaster@example.org",
         "PERMIT_DOCKER": "none", "SPOOF_PROTECTION": True},
    mounts={"/var/mail": mail, "/var/mail-state": state, "/srv/archive": archive,
            "/etc/tls": mount(secret_files(certificate.name), read_only=True),
            "/tmp/docker-mailserver/rspamd/dkim": mount(dkim, read_only=True)},
    probes=tcp_probe(port="smtp"),
)
load_balancer(stack, server, dedicated="mailserver")

db = mysql_database(stack, "roundcube")
webmail = deployment(
    stack, "roundcube", image="docker.io/roundcube/roundcubemail:1.6.9-apache",
    memory="192Mi", cpu="50m", port=80,
    env={"ROUNDCUBEMAIL_DB_TYPE": "mysql", "ROUNDCUBEMAIL_DB_HOST": db.host,
         "ROUNDCUBEMAIL_DB_NAME": db.database, "ROUNDCUBEMAIL_DB_USER": db.user,
         "ROUNDCUBEMAIL_DB_PASSWORD": db.password,
         "ROUNDCUBEMAIL_DEFAULT_HOST": "ssl://mail.example.org",
         "ROUNDCUBEMAIL_SMTP_SERVER": "tls://mail.example.org",
         "ROUNDCUBEMAIL_UPLOAD_MAX_FILESIZE": "25M"},
)
ingress(stack, webmail, host="mail", auth=auth.required(groups=["family"]),
        dns="non-proxied", max_body_size="25Mi",
        catalog=Catalog(name="Webmail", group="Communication", icon="roundcube.png",
                        description="Mail for the example.org mailboxes"))

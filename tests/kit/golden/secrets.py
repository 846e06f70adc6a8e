"""External secrets: a named ExternalSecret used as env and files, and a Stack-path key."""

from homestack import Stack, tier
from homestack.kit import deployment, external_secret, vault_secret

stack = Stack("mailer", tier=tier.AUX)
smtp = external_secret(stack, "smtp", {"user": "secret/mail#user",
                                       "password": "secret/mail#password"})
deployment(stack, "mailer", image="ghcr.io/acme/mailer:1.4.0", memory="64Mi", cpu="10m",
           env={"SMTP_USER": smtp["user"], "SMTP_PASSWORD": smtp["password"],
                "API_TOKEN": vault_secret(stack, "api_token")},
           mounts={"/etc/smtp": smtp})

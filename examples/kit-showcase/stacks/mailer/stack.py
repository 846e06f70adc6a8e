"""A nightly digest job with SMTP credentials from an explicit ExternalSecret."""

from homestack import Stack, tier
from homestack.kit import cronjob, external_secret, job

stack = Stack("mailer", tier=tier.AUX, description="Digest mails")
smtp = external_secret(stack, "smtp", {"user": "secret/mailer#smtp_user",
                                       "password": "secret/mailer#smtp_password"})
cronjob(stack, "digest", schedule="0 7 * * *", image="ghcr.io/acme/digest:latest",
        image_owner="keel", memory="128Mi", cpu="50m",
        env={"SMTP_USER": smtp["user"], "SMTP_PASSWORD": smtp["password"]})
job(stack, "init", image="ghcr.io/acme/digest:2.0.1", memory="64Mi", cpu="10m", args=["init"])

"""An app whose admin password Homestack generates in Vault KV; only its shape is declared."""

from homestack import Stack, tier
from homestack.kit import deployment, generated_secret

stack = Stack("pastebin", tier=tier.AUX)
admin = generated_secret(stack, "secret/pastebin#admin_password", length=40,
                         alphabet="abcdefghijklmnopqrstuvwxyz0123456789", generation=2)
deployment(stack, "app", image="docker.io/privatebin/nginx-fpm-alpine:1.7.5", port=8080,
           memory="64Mi", cpu="10m", env={"ADMIN_PASSWORD": admin})

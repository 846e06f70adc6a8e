"""Sealed Secrets: the few bootstrap Secrets committed to Git encrypted, before Vault runs."""

from homestack import Stack, tier
from homestack.kit import helm_release, namespace

stack = Stack("sealed-secrets", tier=tier.CLUSTER, needs=["platform"],
              description="Decrypts SealedSecrets committed to Git")
namespace(stack)
helm_release(stack, "sealed-secrets", chart="sealed-secrets",
             repo="https://bitnami-labs.github.io/sealed-secrets", version="2.17.2",
             values={"fullnameOverride": "sealed-secrets-controller",
                     "keyrenewperiod": "0"})

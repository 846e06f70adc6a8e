"""A dashboard tile as Homepage reads it: one Catalog value with a widget whose API key is a
Vault reference (a placeholder on the Ingress), extra Ingress annotations and labels, and the
ingress URL handed to the app as env."""

from homestack import SecretRef, Stack, tier
from homestack.kit import Catalog, Widget, auth, deployment, ingress

stack = Stack("books", tier=tier.AUX)
api_key = SecretRef.parse("secret/books#homepage_api_key")
web = deployment(stack, "audiobookshelf", image="ghcr.io/advplyr/audiobookshelf:2.17.2",
                 port=80, memory="256Mi", cpu="50m")
route = ingress(
    stack, web, host="books", auth=auth.app("Audiobookshelf has its own login"),
    catalog=Catalog(name="Audiobookshelf", group="Media", icon="audiobookshelf.png",
                    description="Audiobooks and podcasts",
                    widget=Widget("audiobookshelf",
                                  fields={"key": api_key})),
    annotations={"dependency.kyverno.io/wait-for": "deployment/audiobookshelf"},
    labels={"diun.enable": "true"},
)
deployment(stack, "notifier", image="ghcr.io/acme/notifier:1.0.0", memory="32Mi", cpu="5m",
           env={"PUBLIC_URL": route.url, "CALLBACK": route.url / "api/hooks"})

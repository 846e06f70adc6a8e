"""Chess.com streak keeper: solves the daily puzzle in the afternoon if nobody did yet.

It drives the shared headless browser of changedetection.io over CDP.
"""

from homestack import Stack, tier
from homestack.kit import cronjob, stack_ref, vault_secret

stack = Stack("chesscom-streak", tier=tier.AUX, needs=["platform", "kyverno", "changedetection"],
              description="Keeps the daily puzzle streak alive")
BROWSER = stack_ref("changedetection").service("browser", port=3000, scheme="ws")
cronjob(
    stack, "solve", schedule="0 12-16 * * *",
    image="registry.home.arpa/homelab/chesscom-streak:1.4.0", memory="128Mi", cpu="20m",
    env={"CDP_URL": BROWSER.url, "CHESSCOM_USERNAME": "alex-plays", "ENABLED": "true",
         "JITTER_SECONDS": "900", "CHESSCOM_PASSWORD": vault_secret(stack, "password")},
)

"""City guesser: a small geography game, parked until someone opens it (Sablier)."""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, deployment, ingress

stack = Stack("city-guesser", tier=tier.AUX, needs=["platform", "sablier"],
              description="Geography guessing game")
game = deployment(stack, "city-guesser", image="registry.home.arpa/homelab/city-guesser:1.3.0",
                  memory="64Mi", cpu="10m", port=80)
ingress(stack, game, host="city-guesser", dns="proxied", auth=auth.required(groups=["family"]),
        scale_to_zero=True,
        catalog=Catalog(name="City guesser", group="Games", description="Guess the city"))

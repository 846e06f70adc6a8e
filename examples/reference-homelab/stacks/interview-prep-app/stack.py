"""Interview prep: a static quiz app (nginx), behind forward-auth."""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, deployment, ingress

stack = Stack("interview-prep-app", tier=tier.AUX, needs=["authentik"],
              description="Interview practice questions")
app = deployment(stack, "interview-prep-app",
                 image="registry.home.arpa/homelab/interview-prep-app:0.6.0", memory="32Mi",
                 cpu="5m", port=80)
ingress(stack, app, host="interview-prep", dns="proxied", auth=auth.required(),
        catalog=Catalog(name="Interview prep", group="Learning",
                        description="Practice questions and notes"))

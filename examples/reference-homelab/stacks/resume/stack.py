"""The CV site: public, behind the public Authentik binding so visits are audited."""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, deployment, ingress, nfs_volume

stack = Stack("resume", tier=tier.AUX, needs=["authentik"], description="CV site")
files = nfs_volume(stack, "files", export="/srv/nfs/resume", size="1Gi")
site = deployment(stack, "resume", image="docker.io/library/nginx:1.27.3-alpine",
                  memory="32Mi", cpu="5m", port=80,
                  mounts={"/usr/share/nginx/html": files})
ingress(stack, site, host="cv", auth=auth.public(), scale_to_zero=True,
        catalog=Catalog(name="CV", group="Public", description="Curriculum vitae"),
        external_monitor=True)

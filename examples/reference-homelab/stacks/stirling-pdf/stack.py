"""Stirling-PDF: merge, split, OCR and sign PDFs; idle most of the time, so scaled to zero."""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, deployment, empty_dir, ingress

stack = Stack("stirling-pdf", tier=tier.AUX, needs=["authentik"], description="PDF tools")
app = deployment(
    stack, "stirling-pdf", image="docker.io/stirlingtools/stirling-pdf:0.36.6", memory="768Mi",
    cpu="100m", port=8080, env={"DOCKER_ENABLE_SECURITY": False, "LANGS": "en_GB"},
    mounts={"/tmp": empty_dir("tmp", size_limit="2Gi")},
)
ingress(stack, app, host="pdf", auth=auth.required(groups=["family"]), scale_to_zero=True,
        max_body_size="500Mi",
        catalog=Catalog(name="Stirling-PDF", group="Productivity", icon="stirling-pdf.png",
                        description="PDF tools: merge, split, OCR, sign"))

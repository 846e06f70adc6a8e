"""Site settings for Helm charts: a mirror for air-gapped homelabs, and how GitOps ships them."""

from __future__ import annotations

import enum

from pydantic import BaseModel

from homestack.model.modelconfig import FROZEN


class ReleaseDelivery(enum.Enum):
    """What the gitops target writes for a Helm release."""

    OBJECTS = "objects"  # the rendered objects, like every other Resource (the default)
    FLUX = "flux"  # a Flux HelmRepository/OCIRepository + HelmRelease; Flux renders in-cluster


class ChartSettings(BaseModel):
    """``Site(charts=ChartSettings(...))``.

    ``mirror`` is a chart repository (``https://...`` or ``oci://...``) that serves every chart
    the homelab uses under the same names and versions; the environment variable
    ``HOMESTACK_CHART_MIRROR`` overrides it. ``delivery`` picks what the gitops target writes.
    """

    model_config = FROZEN
    mirror: str | None = None
    delivery: ReleaseDelivery = ReleaseDelivery.OBJECTS

"""A loopback fake of the Cloudflare v4 DNS API that enforces the API's validation rules and
answers with its error bodies; the real ``cloudflare`` SDK talks to it over HTTP."""

from homestack_testing.cloudflare.server import CloudflareApi
from homestack_testing.cloudflare.store import ApiError

__all__ = ["ApiError", "CloudflareApi"]

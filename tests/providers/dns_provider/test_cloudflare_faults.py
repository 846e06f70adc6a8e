"""The Cloudflare fake answers a seeded fifth of requests with 429, 502 or 503 before doing
anything: the run converges in one go and writes each record once; a Cloudflare refusing
everything is one transient failure, bounded by the retries."""

from __future__ import annotations

import random

import pytest

from homestack.model import Resource
from homestack.model.changeset import FailureKind
from homestack.providers.dns import DnsTarget
from homestack.providers.dns.cloudflare import CloudflareBackend
from homestack.providers.errors import TransientError
from homestack_testing.cloudflare import CloudflareApi

from .conftest import SITE, TOKEN_ENV, actions, apply, cloudflare_settings, plan, record

HOSTS = [f"app{i}.example.org" for i in range(10)]


def _target(api: CloudflareApi) -> DnsTarget:
    settings = cloudflare_settings(api, max_retries=8)
    return DnsTarget(SITE, {"cloudflare": CloudflareBackend(settings, {TOKEN_ENV: api.token})})


def _wanted() -> list[Resource]:
    return [record("cloudflare", "A", host, f"203.0.113.{i + 1}", proxied=False)
            for i, host in enumerate(HOSTS)]


def test_a_fifth_of_answers_refused_converges_in_one_run(cloudflare_api: CloudflareApi
                                                         ) -> None:
    seed = random.randrange(1 << 30)
    print(f"fault seed {seed}")
    cloudflare_api.random_faults.seed = seed
    cloudflare_api.random_faults.__post_init__()
    cloudflare_api.random_faults.set(0.2, statuses=(429, 502, 503))
    cloudflare_api.random_faults.fail_next(503)
    target = _target(cloudflare_api)
    apply(target, "apps", _wanted())
    assert cloudflare_api.random_faults.total > 0
    cloudflare_api.random_faults.set(0.0)
    assert set(actions(plan(target, "apps", _wanted())).values()) == {"unchanged"}
    names = [r["name"] for r in cloudflare_api.records("example.org") if r["type"] == "A"]
    assert sorted(names) == sorted(HOSTS)  # each once
    target.close()


def test_a_cloudflare_refusing_everything_is_one_transient_failure(
        cloudflare_api: CloudflareApi) -> None:
    cloudflare_api.random_faults.set(1.0, statuses=(503,))
    target = _target(cloudflare_api)
    with pytest.raises(TransientError) as caught:
        target.observe(_wanted(), [])
    assert caught.value.kind is FailureKind.TRANSIENT and "503" in str(caught.value)
    assert cloudflare_api.random_faults.total == 9  # one try and eight retries
    target.close()

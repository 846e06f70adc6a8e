"""Kured: reboots nodes one at a time after unattended upgrades ask for it, at night only."""

from homestack import Stack, tier
from homestack.kit import helm_release, namespace

stack = Stack("kured", tier=tier.CLUSTER, needs=["platform"],
              description="Safe node reboots after OS updates")
namespace(stack)
helm_release(stack, "kured", chart="kured", repo="https://kubereboot.github.io/charts",
             version="5.6.0",
             values={"configuration": {"period": "1h0m0s", "startTime": "2:00",
                                       "endTime": "5:00", "timeZone": "Europe/London",
                                       "rebootDays": ["mo", "tu", "we", "th", "fr"]}})

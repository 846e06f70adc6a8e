"""One retry rule for every provider: transient failures (429, 5xx, no answer) are tried again
with exponential backoff and full jitter, a bounded number of times.

A request that is safe to repeat (a read, a write that sets a value) is retried on every
transient failure. One that is not (a create, a clone, a compare-and-set write, a DNS update
with prerequisites) is retried only when the failure says it was not done
(``TransientError.maybe_done`` is False: throttled, unavailable, refused before sending):
repeating one that may have landed would fail on its own result, or do it twice.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from homestack.providers.errors import ProviderError, TransientError

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry one request."""

    attempts: int = 8
    base_delay: float = 0.05
    max_delay: float = 5.0

    @classmethod
    def default(cls) -> RetryPolicy:
        """Eight attempts, 50 ms base, 5 s cap."""
        return cls()

    def delay(self, attempt: int) -> float:
        """The pause after failed attempt ``attempt`` (0-based): full jitter."""
        return random.uniform(0, min(self.max_delay, self.base_delay * 2**attempt))


def retried(call: Callable[[], T], policy: RetryPolicy, *, repeatable: bool = True,
            sleep: Callable[[float], None] = time.sleep) -> T:
    """Run ``call`` (which raises classified ``ProviderError``s) under ``policy``."""
    for attempt in range(policy.attempts):
        try:
            return call()
        except TransientError as error:
            again = repeatable or not error.maybe_done
            if not again or attempt == policy.attempts - 1:
                raise
            pause = error.retry_after if error.retry_after is not None \
                else policy.delay(attempt)
            sleep(min(pause, policy.max_delay))
    raise ProviderError("no attempt was made")  # attempts < 1

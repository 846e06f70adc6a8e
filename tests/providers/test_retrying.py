"""The one retry rule of every provider: what is retried, how often, how long it waits."""

from __future__ import annotations

import pytest

from homestack.providers.errors import (
    InvalidError,
    TransientError,
    classify_http,
    unreachable,
)
from homestack.providers.retrying import RetryPolicy, retried

POLICY = RetryPolicy(attempts=5, base_delay=0.1, max_delay=0.4)


def _failing(errors: list[Exception], answer: str = "done"):  # type: ignore[no-untyped-def]
    calls: list[int] = []

    def call() -> str:
        calls.append(1)
        if errors:
            raise errors.pop(0)
        return answer

    return call, calls


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_a_repeatable_request_is_retried_on_every_transient_answer(status: int) -> None:
    call, calls = _failing([classify_http(status, "x", subject="s")] * 3)
    pauses: list[float] = []
    assert retried(call, POLICY, sleep=pauses.append) == "done"
    assert len(calls) == 4 and len(pauses) == 3
    assert all(0 <= p <= POLICY.max_delay for p in pauses)


@pytest.mark.parametrize(("status", "again"), [(429, True), (503, True), (500, False),
                                               (502, False), (504, False)])
def test_a_request_that_is_not_repeatable_is_retried_only_when_it_was_not_done(
        status: int, again: bool) -> None:
    call, calls = _failing([classify_http(status, "x", subject="s")])
    if again:
        assert retried(call, POLICY, repeatable=False, sleep=lambda _: None) == "done"
    else:
        with pytest.raises(TransientError):
            retried(call, POLICY, repeatable=False, sleep=lambda _: None)
    assert len(calls) == (2 if again else 1)


@pytest.mark.parametrize("sent", [True, False])
def test_no_answer_is_retried_for_a_request_that_is_not_repeatable_only_if_never_sent(
        sent: bool) -> None:
    error = unreachable("svc", ConnectionError("gone"), subject="s", sent=sent)
    call, calls = _failing([error])
    if sent:
        with pytest.raises(TransientError):
            retried(call, POLICY, repeatable=False, sleep=lambda _: None)
    else:
        retried(call, POLICY, repeatable=False, sleep=lambda _: None)
    assert len(calls) == (1 if sent else 2)


def test_retries_are_bounded_and_the_last_error_leaves() -> None:
    errors = [classify_http(503, f"try {i}", subject="s") for i in range(9)]
    call, calls = _failing(errors)
    with pytest.raises(TransientError, match="try 4"):
        retried(call, POLICY, sleep=lambda _: None)
    assert len(calls) == POLICY.attempts


def test_an_error_that_retrying_cannot_help_is_raised_at_once() -> None:
    call, calls = _failing([InvalidError("bad", subject="s")])
    with pytest.raises(InvalidError):
        retried(call, POLICY, sleep=lambda _: None)
    assert len(calls) == 1


def test_the_pause_a_service_asks_for_wins_within_the_cap() -> None:
    error = classify_http(429, "slow down", subject="s")
    assert isinstance(error, TransientError)
    error.retry_after = 0.3
    late = classify_http(429, "slow down", subject="s")
    assert isinstance(late, TransientError)
    late.retry_after = 60.0
    call, _ = _failing([error, late])
    pauses: list[float] = []
    retried(call, POLICY, sleep=pauses.append)
    assert pauses == [0.3, POLICY.max_delay]


def test_backoff_grows_and_is_jittered() -> None:
    policy = RetryPolicy(attempts=8, base_delay=1.0, max_delay=1000.0)
    for attempt in range(6):
        pauses = {policy.delay(attempt) for _ in range(50)}
        assert max(pauses) <= 2**attempt and len(pauses) > 1

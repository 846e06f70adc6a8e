"""The change-set codec: every plan it can meet comes back exactly as it went out.

A saved plan is only as good as its round trip: a field the codec dropped (a Stack's failure
kind, a conflict, the permissions a plan was made with) would make apply execute a different
plan than the one reviewed. Resource bodies are not part of the JSON by design; the caller
attaches them from a fresh render, so generated plans carry none.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from homestack.model.address import Address
from homestack.model.changeset import (
    Action,
    ApplyResult,
    Change,
    ChangeSet,
    DriftKind,
    Failure,
    FailureKind,
    Observed,
    Permissions,
    PlanMode,
    SkipReason,
    StackChanges,
    StackOutcome,
)
from homestack.model.changeset_codec import changeset_from_json, changeset_to_json
from homestack.model.errors import ModelError

# Plain words only: the codec masks what looks like a secret (password=..., URL userinfo),
# which is not a round trip by design (tests/model/test_redact.py covers the masking).
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789 -.", max_size=24)
names = st.from_regex(r"[a-z][a-z0-9-]{0,14}", fullmatch=True)
failures = st.builds(Failure, st.sampled_from(FailureKind), words,
                     st.lists(names, max_size=3).map(tuple),
                     st.lists(names, max_size=3).map(tuple))
addresses = st.one_of(
    st.builds(Address.k8s, st.sampled_from(["v1", "apps/v1", "batch/v1"]),
              st.sampled_from(["ConfigMap", "Deployment", "Job"]), names,
              st.one_of(st.none(), names)),
    st.builds(lambda kind, name: Address("dns", kind, f"{name}.home.arpa"),
              st.sampled_from(["A", "CNAME"]), names),
    st.builds(lambda vm: Address("pve", "vm", str(vm)), st.integers(100, 999)),
)
observed = st.builds(Observed, words, words, st.lists(names, max_size=3).map(tuple))


@st.composite
def changes(draw: st.DrawFn, stack: str) -> Change:
    return Change(
        stack=stack, address=draw(addresses), action=draw(st.sampled_from(Action)),
        diff=draw(words), observed=draw(st.one_of(st.none(), observed)),
        fields=tuple(draw(st.lists(words, max_size=3))),
        skip=draw(st.one_of(st.none(), st.sampled_from(SkipReason))),
        failure=draw(st.one_of(st.none(), failures)),
        drift=draw(st.one_of(st.none(), st.sampled_from(DriftKind))),
        location=draw(words), conflict=draw(st.one_of(st.none(), failures)),
        private=draw(st.one_of(st.just(""), words)))


@st.composite
def stacks(draw: st.DrawFn) -> StackChanges:
    name = draw(names)
    return StackChanges(
        stack=name, changes=tuple(draw(st.lists(changes(name), max_size=4))),
        outcome=draw(st.sampled_from(StackOutcome)), error=draw(words),
        notes=tuple(draw(st.lists(words, max_size=3))),
        recorded_revision=draw(st.one_of(st.none(), st.integers(0, 10**6))),
        content_hash=draw(st.from_regex(r"[0-9a-f]{0,64}", fullmatch=True)),
        failure=draw(st.one_of(st.none(), st.sampled_from(FailureKind))))


plans = st.builds(
    ChangeSet, st.lists(stacks(), max_size=4).map(tuple),
    st.one_of(st.none(), st.from_regex(r"[0-9a-f]{40}", fullmatch=True)),
    st.sampled_from(PlanMode), st.builds(Permissions, st.booleans(), st.booleans(),
                                         st.booleans()),
    st.one_of(st.just(""), names))


@settings(max_examples=300, deadline=None)
@given(plans)
def test_every_plan_round_trips_through_json(planned: ChangeSet) -> None:
    text = json.dumps(changeset_to_json(planned))
    back, hashes = changeset_from_json(json.loads(text))
    assert back == planned
    assert set(hashes) == {s.stack for s in planned.stacks}


@settings(max_examples=50, deadline=None)
@given(plans)
def test_the_saved_form_is_stable(planned: ChangeSet) -> None:
    once = changeset_to_json(planned)
    assert changeset_to_json(changeset_from_json(once)[0]) == once


def test_an_apply_result_names_its_run() -> None:
    result = ApplyResult(run_id="abc123")
    assert changeset_to_json(result)["run_id"] == "abc123"
    assert "run_id" not in changeset_to_json(ChangeSet())


def test_a_plan_of_another_format_is_refused_with_what_to_do() -> None:
    saved = changeset_to_json(ChangeSet())
    with pytest.raises(ModelError, match="Make the plan again"):
        changeset_from_json({**saved, "format": "homestack.changeset/v1"})


@pytest.mark.parametrize("value", ["false", 1, None])
def test_a_permission_that_is_not_a_boolean_is_refused(value: object) -> None:
    saved = changeset_to_json(ChangeSet())
    tampered = {**saved, "permissions": {**saved["permissions"], "allow_data_loss": value}}
    with pytest.raises(ModelError, match="allow_data_loss"):
        changeset_from_json(tampered)


def test_the_plan_value_cannot_be_changed_in_place() -> None:
    planned = ChangeSet((StackChanges("web"),))
    with pytest.raises(AttributeError):
        planned.stacks[0].outcome = StackOutcome.APPLIED  # type: ignore[misc]
    assert isinstance(planned.stacks, tuple)

"""Records are checked values: frozen, no unknown fields, revisions from 0 up."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from homestack.state import ResourceRecord, StackRecord

from .support import stack_record


def test_records_cannot_be_changed_after_creation() -> None:
    resource = ResourceRecord(address="k8s:v1:Service:immich/server", content_hash="h")
    record = stack_record("immich", resource)
    with pytest.raises(ValidationError, match="frozen"):
        record.content_hash = "other"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="frozen"):
        resource.provider_id = "uid"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="Extra inputs"):
        ResourceRecord(address="a", content_hash="h", colour="blue")  # type: ignore[call-arg]


def test_an_unwritten_record_has_revision_zero_and_none_is_negative() -> None:
    record = stack_record("immich")
    assert record.revision == 0
    assert StackRecord.model_validate({**record.model_dump(), "revision": 0}).revision == 0
    with pytest.raises(ValidationError, match="greater than or equal to 0"):
        StackRecord.model_validate({**record.model_dump(), "revision": -1})

"""Records are values: once read, nobody can change them behind the store's back."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from homestack.state import ResourceRecord

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

"""Secret references parse strictly; secret values never show themselves."""

from __future__ import annotations

import pickle

import pytest

from homestack.model import ModelError, SecretRef, SecretValue, assert_no_secret_values


def test_reference_parses_path_and_key() -> None:
    ref = SecretRef.parse("secret/immich#db_password")
    assert (ref.store, ref.path, ref.key) == ("vault-kv", "secret/immich", "db_password")
    assert str(ref) == "vault-kv:secret/immich#db_password"


def test_reference_without_key_is_refused() -> None:
    with pytest.raises(ModelError, match="has no key"):
        SecretRef.parse("secret/immich")


def test_value_masks_itself() -> None:
    value = SecretValue("correct horse")
    assert "correct" not in repr(value)
    assert "correct" not in f"{value}"
    assert repr(value) == "<secret: 13 bytes>"


def test_value_refuses_pickling() -> None:
    with pytest.raises(ModelError):
        pickle.dumps(SecretValue("x"))


def test_nested_value_is_found_with_its_path() -> None:
    with pytest.raises(ModelError, match=r"a\.b\[1\]"):
        assert_no_secret_values({"a": {"b": ["ok", SecretValue("s")]}}, "test")


def test_a_value_inside_a_tuple_is_found_with_its_path() -> None:
    with pytest.raises(ModelError, match=r"field a\[1\] holds a secret value"):
        assert_no_secret_values({"a": ("ok", SecretValue("s"))}, "test")

"""API keys: the prefix finds the row, the hash of the whole key proves it."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flexhub.identity import keys


def test_a_new_key_splits_back_into_its_prefix() -> None:
    new = keys.generate()
    assert new.token.startswith(f"fhk_{new.prefix}_")
    assert keys.split(new.token) == new.prefix


def test_a_key_matches_its_own_hash_only() -> None:
    mine, theirs = keys.generate(), keys.generate()
    stored = keys.hash_key(mine.token)
    assert keys.matches(mine.token, stored)
    assert not keys.matches(theirs.token, stored)
    assert not keys.matches(mine.token + "x", stored)


def test_the_stored_hash_is_not_the_key() -> None:
    new = keys.generate()
    assert new.secret not in keys.hash_key(new.token)
    assert len(keys.hash_key(new.token)) == 64


def test_keys_are_not_repeated() -> None:
    assert len({keys.generate().token for _ in range(50)}) == 50


def test_a_secret_may_contain_underscores() -> None:
    assert keys.split("fhk_abc123_se_cr_et") == "abc123"


@pytest.mark.parametrize("token", ["", "fhk", "fhk_", "fhk__secret", "fhk_abc_", "xyz_abc_secret", "FHK_abc_secret",
                                   "Bearer fhk_abc_secret"])
def test_a_malformed_key_has_no_prefix(token: str) -> None:
    assert keys.split(token) is None


@given(st.text())
def test_only_tokens_of_the_key_shape_have_a_prefix(token: str) -> None:
    prefix = keys.split(token)
    if prefix is not None:
        assert token.startswith(f"fhk_{prefix}_") and len(token) > len(prefix) + 5

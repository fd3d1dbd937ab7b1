"""Storable text: valid Unicode that encodes as UTF-8, with no NUL; refused where it comes in."""

import pytest
from pydantic import TypeAdapter, ValidationError

from flexhub.kernel.text import StorableText, refuse_unstorable, unstorable_reason


@pytest.mark.parametrize("value", ["张三", "😀", "", "a\u00e9"])
def test_ordinary_text_is_storable(value: str) -> None:
    assert unstorable_reason(value) is None and TypeAdapter(StorableText).validate_python(value) == value


@pytest.mark.parametrize("value", ["\ud800", "a\udfffb", "x\x00"])
def test_lone_surrogates_and_nul_are_refused(value: str) -> None:
    assert unstorable_reason(value)
    with pytest.raises(ValidationError, match="text_unstorable"):
        TypeAdapter(StorableText).validate_python(value)


def test_a_tree_is_checked_to_its_leaves_and_keys() -> None:
    assert refuse_unstorable({"a": [1, {"b": "ok"}]}) == {"a": [1, {"b": "ok"}]}
    for tree in ({"a": [1, {"b": "\ud800"}]}, {"\udc00": 1}, ["x", ("\x00",)]):
        with pytest.raises(ValueError):
            refuse_unstorable(tree)

"""Storable text: valid Unicode that encodes as UTF-8, with no NUL; refused where it comes in."""

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from flexhub.kernel.text import StorableText, known_storable, refuse_unstorable, unstorable_reason


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


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(st.characters(codec=None, min_codepoint=0)),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(st.characters(min_codepoint=0), max_size=4), children, max_size=4),
    max_leaves=12,
)


@given(json_values, st.booleans())
def test_a_body_known_storable_decodes_only_to_storable_text(value: object, ascii_only: bool) -> None:
    """What the order lane relies on to skip the walk: strict UTF-8, then no NUL and no escape of a NUL or a
    surrogate."""
    raw = json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        return  # a lone surrogate as raw bytes: not UTF-8, the lane leaves it to the route
    if known_storable(decoded):
        refuse_unstorable(json.loads(decoded))
    else:
        assert "\\u0000" in decoded or re.search(r"\\u[dD][89a-fA-F]", decoded)


def test_a_body_with_an_escape_of_a_nul_or_a_surrogate_is_not_known_storable() -> None:
    for body in ('{"name": "\\ud800"}', '{"name": "\\uDFFF"}', '{"name": "a\\u0000"}', '{"name": "\\ud83d\\ude00"}',
                 '{"name": "x\x00"}'):
        assert not known_storable(body), body
    assert known_storable('{"name": "张三 😀"}') and known_storable('{"name": "\\u0041\\u00e9"}')
    assert known_storable(json.dumps({"province": "浙江省", "line1": "文三路 90 号"}))  # ASCII JSON of Chinese text

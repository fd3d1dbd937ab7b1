"""What the API says in English reads in Chinese on a Chinese page: routing's reasons, an order's status reason,
what the cleaning rules found, and errors (a known sentence translated with its values, any other by its code);
English pages show the API's own words. Every error code the hub declares has its Chinese."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from flexhub.kernel.errors import ValidationFailed
from flexhub.ordering.errors import InvalidTransition
from flexhub.web import i18n
from flexhub.web.api_text import SENTENCES, problem, said

SOURCE = Path(i18n.__file__).resolve().parents[1]  # src/flexhub
DECLARED = re.compile(r'error_class\("([a-z_]+\.[a-z_]+)"')


def catalog() -> dict[str, str]:
    with (i18n.CATALOGS / "zh_Hans" / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return {m.id: m.string for m in read_po(source) if isinstance(m.id, str)}


@pytest.fixture
def chinese() -> object:
    token = i18n.current.set("zh_Hans")
    yield
    i18n.current.reset(token)


def test_every_error_code_the_hub_declares_has_its_chinese() -> None:
    codes = {code for path in SOURCE.rglob("*.py") for code in DECLARED.findall(path.read_text())}
    known = catalog()

    assert len(codes) > 100
    assert sorted(code for code in codes if not known.get(code)) == []


def test_every_sentence_shape_has_its_chinese_with_the_same_values() -> None:
    known = catalog()
    for shape, message in SENTENCES:
        chinese = known.get(message)
        assert chinese, message
        assert sorted(re.findall(r"%\((\w+)\)s", chinese)) == sorted(re.compile(shape).groupindex), message


def test_sentences_read_in_chinese(chinese: object) -> None:
    assert said("the best single node (WH-EAST)") == "最佳的单一节点（WH-EAST）"
    assert said("the pickup store STORE-SH cannot serve this order: does not offer pickup; no stock of MUG-WHITE") \
        == "自提门店 STORE-SH 无法履行此订单：不提供自提；没有 MUG-WHITE 的库存"
    assert said("only a reserved order is routed; this one is awaiting_stock") == \
        "只有已占库存的订单可以路由；此订单为 待补货"
    assert said("'2026-13-01' is not a day (YYYY-MM-DD)") == "2026-13-01 不是日期（YYYY-MM-DD）"
    assert said("buyer called, wants it later") == "buyer called, wants it later"  # a person's words, as written


def test_an_error_without_a_known_sentence_is_said_by_its_code(chinese: object) -> None:
    error = InvalidTransition("a transition no page knows the shape of")

    assert problem(error) == "订单当前状态不允许此操作（a transition no page knows the shape of）"
    assert problem(ValidationFailed("the phone filter is the last 3 to 11 digits of the buyer's phone")) == \
        "手机号筛选填写买家手机号的后 3 到 11 位"


def test_english_pages_show_the_apis_own_words() -> None:
    assert said("'2026-13-01' is not a day (YYYY-MM-DD)") == "'2026-13-01' is not a day (YYYY-MM-DD)"
    assert problem(InvalidTransition("an order that is shipped cannot be held")) == \
        "an order that is shipped cannot be held"

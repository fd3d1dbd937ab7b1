"""What the API says in English, as a page shows it in the page's language: the reasons routing gives ("why this
node"), an order's status reason, and errors (validation messages and refusals).

The API keeps its English (clients match on codes, not prose). A page translates a sentence whose shape it knows
(a pattern below, its message id in the catalogs with the same placeholders); an error whose sentence it does not
know is said by its code (each code has its Chinese, `ERROR_CODES`), the English kept beside it for support. A
person's own words (a hold's typed reason) and other systems' replies (a platform's HTTP error) are shown as
written."""

import re
from collections.abc import Callable
from typing import Any

from flexhub.web import i18n
from flexhub.web.labels import label


def N_(message: str) -> str:  # noqa: N802 (gettext's marker: Babel extracts the message, the test checks its Chinese)
    return message


# (shape of the English, message id). A group named `why` holds sentences ("; " between them), each translated
# too; `status`, `target` and `role` hold codes the pages show through the catalogs (labels.label).
SENTENCES: tuple[tuple[str, str], ...] = (
    # routing: the decision's reason
    (r"collected by the buyer at (?P<store>\S+)", N_("collected by the buyer at %(store)s")),
    (r"the best single node \((?P<node>[^)]+)\)", N_("the best single node (%(node)s)")),
    (r"a split saves (?P<saving>\S+) over the best single node \((?P<node>[^)]+)\), more than (?P<margin>\S+)",
     N_("a split saves %(saving)s over the best single node (%(node)s), more than %(margin)s")),
    (r"the pickup store (?P<store>\S+) cannot serve this order: (?P<why>.+)",
     N_("the pickup store %(store)s cannot serve this order: %(why)s")),
    (r"unknown store, or not enough stock there", N_("unknown store, or not enough stock there")),
    (r"no node that may serve it has enough of (?P<skus>.+)", N_("no node that may serve it has enough of %(skus)s")),
    (r"no plan covers every line", N_("no plan covers every line")),
    # routing: why a node was not considered
    (r"its cheapest parcel costs at least (?P<floor>\S+), more than (?P<best>\S+)",
     N_("its cheapest parcel costs at least %(floor)s, more than %(best)s")),
    (r"no stock of this order's SKUs", N_("no stock of this order's SKUs")),
    (r"no stock of (?P<sku>\S+)", N_("no stock of %(sku)s")),
    (r"excluded: it short-picked this order", N_("excluded: it short-picked this order")),
    (r"excluded by the routing policy", N_("excluded by the routing policy")),
    (r"does not offer pickup", N_("does not offer pickup")),
    (r"does not ship", N_("does not ship")),
    (r"does not ship to (?P<region>\S+)", N_("does not ship to %(region)s")),
    (r"no carrier serves the lane to (?P<region>\S+)", N_("no carrier serves the lane to %(region)s")),
    (r"not secure for high-value (?P<sku>\S+)", N_("not secure for high-value %(sku)s")),
    (r"does not pack fragile (?P<sku>\S+)", N_("does not pack fragile %(sku)s")),
    (r"our own nodes hold (?P<sku>\S+): no drop-ship", N_("our own nodes hold %(sku)s: no drop-ship")),
    # an order's status reason
    (r"not enough stock when imported", N_("not enough stock when imported")),
    (r"not enough stock when released", N_("not enough stock when released")),
    (r"cancelled by the channel", N_("cancelled by the channel")),
    (r"parcel lost", N_("parcel lost")),
    (r"held: (?P<codes>.+)", N_("held: %(codes)s")),
    # what the cleaning rules found on a held order
    (r"the buyer has no phone number for the carrier", N_("the buyer has no phone number for the carrier")),
    (r"'(?P<phone>[^']*)' is not a mainland mobile number \(1\[3-9\] \+ 9 digits\)",
     N_("%(phone)s is not a mainland mobile number (1[3-9] + 9 digits)")),
    (r"a Chinese address needs its (?P<part>\w+)", N_("a Chinese address needs its %(part)s")),
    (r"the address needs its (?P<part>\w+)", N_("the address needs its %(part)s")),
    (r"'(?P<province>[^']*)' is not a province of China", N_("%(province)s is not a province of China")),
    (r"'(?P<city>[^']*)' is not a city of (?P<province>.+)", N_("%(city)s is not a city of %(province)s")),
    (r"'(?P<district>[^']*)' is not a district or county \(区/县/市/旗\)",
     N_("%(district)s is not a district or county (区/县/市/旗)")),
    (r"'(?P<postal>[^']*)' is not a 6-digit postal code", N_("%(postal)s is not a 6-digit postal code")),
    (r"postal code (?P<postal>\S+) is not in (?P<province>.+)", N_("postal code %(postal)s is not in %(province)s")),
    (r"the address has no postal code", N_("the address has no postal code")),
    (r"an address in (?P<country>\S+) needs its postal code", N_("an address in %(country)s needs its postal code")),
    (r"the buyer is on the blacklist", N_("the buyer is on the blacklist")),
    (r"the buyer's phone is on the blacklist", N_("the buyer's phone is on the blacklist")),
    (r"the shipping address is on the blacklist", N_("the shipping address is on the blacklist")),
    (r"(?P<quantity>\d+) × (?P<sku>\S+) is above (?P<cap>\d+) a line",
     N_("%(quantity)s × %(sku)s is above %(cap)s a line")),
    (r"(?P<units>\d+) units is above (?P<cap>\d+) an order", N_("%(units)s units is above %(cap)s an order")),
    (r"(?P<sku>\S+) sold at (?P<paid>\S+) a unit, below its floor (?P<floor>\S+)",
     N_("%(sku)s sold at %(paid)s a unit, below its floor %(floor)s")),
    (r"a first order of (?P<total>\S+), above (?P<above>\S+)", N_("a first order of %(total)s, above %(above)s")),
    # validation messages of the pages' own forms
    (r"'(?P<text>[^']*)' is not a day \(YYYY-MM-DD\)", N_("%(text)s is not a day (YYYY-MM-DD)")),
    (r"the phone filter is the last 3 to 11 digits of the buyer's phone",
     N_("the phone filter is the last 3 to 11 digits of the buyer's phone")),
    (r"unknown status (?P<status>\S+)", N_("unknown status %(status)s")),
    (r"sort by one of (?P<sorts>.+) \(a leading - sorts descending\)",
     N_("sort by one of %(sorts)s (a leading - sorts descending)")),
    (r"the cursor is not one this list gave", N_("the cursor is not one this list gave")),
    (r"the cursor was made for another sort than (?P<sort>\S+)",
     N_("the cursor was made for another sort than %(sort)s")),
    (r"export as one of (?P<formats>.+)", N_("export as one of %(formats)s")),
    (r"the (?P<role>[a-z]+) role may not do this", N_("the %(role)s role may not do this")),
    (r"unknown SKU:? (?P<sku>.+)", N_("unknown SKU %(sku)s")),
    (r"no order (?P<order>\S+)", N_("no order %(order)s")),
    (r"only a reserved order is routed; this one is (?P<status>\S+)",
     N_("only a reserved order is routed; this one is %(status)s")),
    (r"an order that is (?P<status>\S+) cannot be held", N_("an order that is %(status)s cannot be held")),
    (r"an order that is (?P<status>\S+) cannot become (?P<target>\S+)",
     N_("an order that is %(status)s cannot become %(target)s")),
    (r"order (?P<order>\S+) has a parcel at a node: cancel it first",
     N_("order %(order)s has a parcel at a node: cancel it first")),
    (r"order (?P<order>\S+) is (?P<status>\S+), not on hold", N_("order %(order)s is %(status)s, not on hold")),
    (r"the quantity of (?P<sku>.+) must be a whole number above 0",
     N_("the quantity of %(sku)s must be a whole number above 0")),
    (r"unknown location (?P<node>\S+)", N_("unknown location %(node)s")),
    # the new purchase order's form, and what purchasing refuses of an order or a step
    (r"choose the supplier to order from", N_("choose the supplier to order from")),
    (r"choose the node the goods go to", N_("choose the node the goods go to")),
    (r"'(?P<text>[^']*)' is not a currency code \(three capital letters, like CNY\)",
     N_("%(text)s is not a currency code (three capital letters, like CNY)")),
    (r"kind must be one of (?P<kinds>.+)", N_("kind must be one of %(kinds)s")),
    (r"an order or notice needs at least one line", N_("an order or notice needs at least one line")),
    (r"line (?P<n>\d+) needs its SKU", N_("line %(n)s needs its SKU")),
    (r"(?P<sku>\S+) is on two lines: one line per SKU", N_("%(sku)s is on two lines: one line per SKU")),
    (r"name the currency: the supplier has no terms for these SKUs",
     N_("name the currency: the supplier has no terms for these SKUs")),
    (r"the unit cost of (?P<sku>\S+) must be an amount of (?P<currency>[A-Z]{3}) with at most (?P<digits>\d+) "
     r"decimals", N_("the unit cost of %(sku)s must be an amount of %(currency)s with at most %(digits)s decimals")),
    (r"no unit cost in (?P<currency>[A-Z]{3}) for (?P<sku>\S+): give one or set the supplier's terms",
     N_("no unit cost in %(currency)s for %(sku)s: give one or set the supplier's terms")),
    (r"no supplier (?P<supplier>\S+)", N_("no supplier %(supplier)s")),
    (r"the expected date (?P<day>\S+) is already past \(today is (?P<today>\S+)\)",
     N_("the expected date %(day)s is already past (today is %(today)s)")),
    (r"quantities must be positive", N_("quantities must be positive")),
    (r"one line per SKU", N_("one line per SKU")),
    (r"bundles are not bought: order their components", N_("bundles are not bought: order their components")),
    (r"production orders go to a factory: set the supplier's daily capacity first",
     N_("production orders go to a factory: set the supplier's daily capacity first")),
    (r"the factory can make (?P<room>\d+) more units by then, not (?P<wanted>\d+)",
     N_("the factory can make %(room)s more units by then, not %(wanted)s")),
    (r"a purchase order that is (?P<status>\S+) cannot be (?P<step>.+)",
     N_("a purchase order that is %(status)s cannot be %(step)s")),
    (r"goods are on their way for this order: receive them, then close it",
     N_("goods are on their way for this order: receive them, then close it")),
    (r"unknown channel (?P<channel>\S+)", N_("unknown channel %(channel)s")),
    # replenishment: why the plans use the numpy core and not the learned model
    (r"no learned model trained yet \(POST (?P<path>\S+)\)", N_("no learned model trained yet (POST %(path)s)")),
    (r"a learned model was trained but cannot run here: (?P<detail>.+)",
     N_("a learned model was trained but cannot run here: %(detail)s")),
    (r"the learned model was trained on (?P<day>\S+), more than (?P<days>\d+) days ago: train it again",
     N_("the learned model was trained on %(day)s, more than %(days)s days ago: train it again")),
    (r"the learned model cannot be read \((?P<error>[^)]+)\): train it again",
     N_("the learned model cannot be read (%(error)s): train it again")),
)
CODED = frozenset({"status", "target", "role"})
# A purchase order's step as its refusal names it (`accept change`), in the page's words.
STEPS = {"send": N_("sent"), "confirm": N_("confirmed"), "propose change": N_("changed by the supplier"),
         "accept change": N_("accepted as changed"), "reject change": N_("changed back"), "cancel": N_("cancelled"),
         "close": N_("closed")}
PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(shape), message) for shape, message in SENTENCES)


def said(text: str | None) -> str:
    """The sentence in the page's language when its shape is known, else as written."""
    if not text or i18n.current.get() == i18n.DEFAULT:
        return text or ""
    return _translated(text) or text


def _translated(text: str) -> str | None:
    for pattern, message in PATTERNS:
        if match := pattern.fullmatch(text.strip()):
            parts = {name: _part(name, value) for name, value in match.groupdict().items()}
            return i18n.gettext_(message) % parts if parts else i18n.gettext_(message)
    return None


def _part(name: str, value: str) -> str:
    if name == "why":
        return "；".join(said(reason) for reason in value.split("; ")) if i18n.current.get() != i18n.DEFAULT \
            else value
    if name == "step":
        return i18n.gettext_(STEPS[value]) if value in STEPS else value
    return label(value) if name in CODED else value


def problem(error: Any) -> str:
    """An error (with `code` and `message`) as the page says it: its sentence translated, else its code's words
    (and, beside them, the API's English) — English pages show the API's own message."""
    message = getattr(error, "message", None) or str(error)
    if i18n.current.get() == i18n.DEFAULT:
        return message
    if translated := _translated(message):
        return translated
    code = getattr(error, "code", None)
    words = i18n.gettext_(code) if code else None
    return f"{words}（{message}）" if words and words != code else message


def code_words(code: str | None) -> str:
    """An error code (`channels.unmapped_sku`) in the page's words; English pages show the code."""
    return i18n.gettext_(code) if code else ""


Filter = Callable[..., str]
FILTERS: dict[str, Filter] = {"said": said, "problem": problem, "code_words": code_words}

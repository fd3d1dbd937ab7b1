"""The carrier registry reads the `flexhub.carriers` entry point group; these are the entry points flexhub ships."""


import pytest

from flexhub.shipping import registry
from flexhub.shipping.carrier import CarrierAdapter
from flexhub.shipping.errors import UnknownCarrier

# What pyproject.toml declares under [project.entry-points."flexhub.carriers"].
SHIPPED = {
    "sf_express": "flexhub.shipping.carriers.sf_express:SfExpressCarrier",
    "jd_logistics": "flexhub.shipping.carriers.jd_logistics:JdLogisticsCarrier",
    "zto": "flexhub.shipping.carriers.zto:ZtoCarrier",
    "dhl": "flexhub.shipping.carriers.dhl:DhlCarrier",
    "easypost": "flexhub.shipping.carriers.easypost:EasyPostCarrier",
    "kuaidi100": "flexhub.shipping.carriers.kuaidi100:Kuaidi100Carrier",
}


@pytest.fixture
def shipped():
    """The carriers pyproject.toml registers, as installed."""
    registry.carriers.cache_clear()
    yield
    registry.carriers.cache_clear()


def test_every_shipped_carrier_loads_under_its_own_name(shipped):
    found = registry.carriers()
    assert set(found) == set(SHIPPED)
    for name, adapter in found.items():
        assert isinstance(adapter, CarrierAdapter) and adapter.carrier == name


def test_an_unknown_carrier_is_refused_with_the_known_ones(shipped):
    assert registry.carrier_for("zto").carrier == "zto"
    with pytest.raises(UnknownCarrier) as refused:
        registry.carrier_for("pigeon_post")
    assert refused.value.code == "shipping.unknown_carrier"
    assert refused.value.details["carriers"] == sorted(SHIPPED)

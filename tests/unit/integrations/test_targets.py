"""Safe outbound targets: public addresses pass; loopback, private, link-local, multicast, unspecified and reserved
ones are refused, by literal or by what a name resolves to, unless private targets were allowed."""

import pytest

from flexhub.integrations.targets import UnsafeTarget, check_target


def resolving_to(*addresses: str):
    return lambda host: list(addresses)


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8000/hook", "http://localhost/hook", "http://[::1]/hook", "http://10.1.2.3/",
    "http://172.16.0.9/", "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/", "http://0.0.0.0/",
    "http://224.0.0.1/", "http://[::ffff:127.0.0.1]/", "http://[fe80::1]/", "http://240.0.0.1/", "http://100.64.0.1/",
])
def test_local_and_private_targets_are_refused(url: str) -> None:
    with pytest.raises(UnsafeTarget) as refused:
        check_target(url, allow_private=False)
    assert refused.value.code == "integrations.unsafe_target" and refused.value.status == 422


def test_a_name_that_resolves_to_a_private_address_is_refused_even_beside_a_public_one() -> None:
    with pytest.raises(UnsafeTarget, match="10.0.0.7"):
        check_target("https://erp.brand.example/hook", allow_private=False,
                     resolver=resolving_to("93.184.216.34", "10.0.0.7"))


def test_public_targets_and_names_not_resolving_yet_pass() -> None:
    check_target("https://93.184.216.34/hook", allow_private=False)
    check_target("https://erp.brand.example/hook", allow_private=False, resolver=resolving_to("93.184.216.34"))
    check_target("https://not-yet.example/hook", allow_private=False, resolver=resolving_to())


def test_allowing_private_targets_lets_loopback_through_but_never_another_scheme() -> None:
    check_target("http://127.0.0.1:9000/hook", allow_private=True)
    for url in ("file:///etc/passwd", "gopher://127.0.0.1/", "http:///no-host"):
        with pytest.raises(UnsafeTarget):
            check_target(url, allow_private=True)

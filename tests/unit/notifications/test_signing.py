"""Standard Webhooks signatures against the specification's published test vector."""

import pytest

from flexhub.notifications import signing

# The test vector of the reference implementation's own tests: standard-webhooks/standard-webhooks,
# libraries/python/tests/test_webhooks.py, test_sign_function (secret, message id, timestamp, payload, signature).
VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
VECTOR_TIMESTAMP = 1614265330
VECTOR_PAYLOAD = '{"test": 2432232314}'
VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_the_signer_gives_the_published_signature() -> None:
    assert signing.sign(VECTOR_SECRET, VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_PAYLOAD) == VECTOR_SIGNATURE
    assert signing.sign(VECTOR_SECRET, VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_PAYLOAD.encode()) == VECTOR_SIGNATURE


def test_the_headers_carry_id_timestamp_and_signature() -> None:
    assert signing.headers(VECTOR_SECRET, VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_PAYLOAD) == {
        "webhook-id": VECTOR_ID, "webhook-timestamp": str(VECTOR_TIMESTAMP), "webhook-signature": VECTOR_SIGNATURE}


def test_a_receiver_accepts_the_vector_and_one_good_signature_among_several() -> None:
    received = signing.headers(VECTOR_SECRET, VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_PAYLOAD)
    signing.verify(VECTOR_SECRET, received, VECTOR_PAYLOAD, now=VECTOR_TIMESTAMP + 10)
    several = {**received, "webhook-signature": f"v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= {VECTOR_SIGNATURE}"}
    signing.verify(VECTOR_SECRET, several, VECTOR_PAYLOAD, now=VECTOR_TIMESTAMP)


@pytest.mark.parametrize("change", ["body", "signature", "old", "future", "missing"])
def test_a_receiver_refuses_what_was_not_signed_so(change: str) -> None:
    received = signing.headers(VECTOR_SECRET, VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_PAYLOAD)
    body, now = VECTOR_PAYLOAD, VECTOR_TIMESTAMP
    if change == "body":
        body = '{"test": 2432232315}'
    if change == "signature":
        received["webhook-signature"] = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA="
    if change in ("old", "future"):
        now += (signing.TOLERANCE_S + 1) * (1 if change == "old" else -1)
    if change == "missing":
        del received["webhook-id"]
    with pytest.raises(signing.InvalidSignature):
        signing.verify(VECTOR_SECRET, received, body, now=now)


def test_new_secrets_are_whsec_and_distinct() -> None:
    first, second = signing.new_secret(), signing.new_secret()
    assert first.startswith("whsec_") and first != second
    assert len(signing.sign(first, "m", 1, "{}")) > 3

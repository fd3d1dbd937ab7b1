"""Writes the WeChat Pay API v3 test vectors beside this file, from keys made here (never a real merchant's).

    .venv/bin/python tests/contract/payments/wechatpay/make_vectors.py

Run once; the files it writes are committed. Run again (to add a sample), it keeps the keys it made before. RSA
PKCS#1 v1.5 signatures and AES-GCM with a given nonce are deterministic, so the tests rebuild every signature and
ciphertext from these keys and compare."""

import datetime
import json
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from flexhub.stores.payments import wechatpay

HERE = Path(__file__).parent
MCHID, APPID = "1900009191", "wxd678efh567hg6787"
API_V3_KEY = "flexhubTestApiV3Key0123456789abc"  # 32 bytes, as the merchant platform requires
TIMESTAMP = 1764921600  # 2025-12-05T08:00:00Z


def key_and_certificate(common_name: str) -> tuple[str, str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    start = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(start)
                   .not_valid_after(start + datetime.timedelta(days=3650)).sign(key, hashes.SHA256()))
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    return pem, certificate.public_bytes(serialization.Encoding.PEM).decode(), format(certificate.serial_number, "X")


def kept_or_made(name: str, common_name: str) -> tuple[str, str, str]:
    """The key and certificate written before under `name`, else new ones, written."""
    key_file, cert_file = HERE / f"{name}_key.pem", HERE / f"{name}_cert.pem"
    if key_file.exists() and cert_file.exists():
        cert = cert_file.read_text()
        serial = x509.load_pem_x509_certificate(cert.encode()).serial_number
        return key_file.read_text(), cert, format(serial, "X")
    key, cert, serial = key_and_certificate(common_name)
    key_file.write_text(key)
    cert_file.write_text(cert)
    return key, cert, serial


def main() -> None:
    merchant_key, merchant_cert, merchant_serial = kept_or_made("merchant", "flexhub test merchant")
    platform_key, platform_cert, platform_serial = kept_or_made("platform", "flexhub test WeChat Pay platform")
    merchant = wechatpay.Merchant(MCHID, APPID, merchant_serial, merchant_key, API_V3_KEY,
                                  {platform_serial: platform_cert})
    prepay = wechatpay.jsapi_prepay(merchant, out_trade_no="S20251205000001", description="Tee, red, M × 1",
                                    total=9900, openid="oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
                                    notify_url="https://hub.example.com/webhooks/payments/wechatpay/store",
                                    timestamp=TIMESTAMP, nonce="593BEC0C930BF1AFEB40B4A08C8FB242")
    transaction = {"mchid": MCHID, "appid": APPID, "out_trade_no": "S20251205000001",
                   "transaction_id": "4200000000202512050000000001", "trade_type": "JSAPI", "trade_state": "SUCCESS",
                   "trade_state_desc": "支付成功", "bank_type": "CMC", "attach": "",
                   "success_time": "2025-12-05T16:00:05+08:00", "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
                   "amount": {"total": 9900, "payer_total": 9900, "currency": "CNY", "payer_currency": "CNY"}}
    plain = json.dumps(transaction, ensure_ascii=False, separators=(",", ":"))
    body = json.dumps({
        "id": "EV-2018022511223320873", "create_time": "2025-12-05T16:00:06+08:00", "resource_type": "encrypt-resource",
        "event_type": "TRANSACTION.SUCCESS", "summary": "支付成功",
        "resource": {"original_type": "transaction", "algorithm": "AEAD_AES_256_GCM",
                     "ciphertext": wechatpay.encrypt(API_V3_KEY, "fdasflkja484", plain, "transaction"),
                     "associated_data": "transaction", "nonce": "fdasflkja484"}}, ensure_ascii=False)
    headers = wechatpay.platform_headers(platform_key, platform_serial, body, timestamp=TIMESTAMP + 6,
                                         nonce="fdasfwaf4a5fd9a4f")
    refund_request = wechatpay.refund(merchant, out_trade_no="S20251205000001", out_refund_no="S20251205000001R1",
                                      amount=9900, total=9900, reason="wrong size",
                                      notify_url="https://hub.example.com/webhooks/payments/wechatpay/store",
                                      timestamp=TIMESTAMP + 3600, nonce="A1B2C3D4E5F60718293A4B5C6D7E8F90")
    refund = {"mchid": MCHID, "out_trade_no": "S20251205000001", "transaction_id": "4200000000202512050000000001",
              "out_refund_no": "S20251205000001R1", "refund_id": "50000000382019052709732678859",
              "refund_status": "SUCCESS", "success_time": "2025-12-05T17:00:10+08:00",
              "user_received_account": "支付用户零钱",
              "amount": {"total": 9900, "refund": 9900, "payer_total": 9900, "payer_refund": 9900}}
    refund_plain = json.dumps(refund, ensure_ascii=False, separators=(",", ":"))
    refund_body = json.dumps({
        "id": "EV-2018022511223320874", "create_time": "2025-12-05T17:00:11+08:00", "resource_type": "encrypt-resource",
        "event_type": "REFUND.SUCCESS", "summary": "退款成功",
        "resource": {"original_type": "refund", "algorithm": "AEAD_AES_256_GCM",
                     "ciphertext": wechatpay.encrypt(API_V3_KEY, "a1b2c3d4e5f6", refund_plain, "refund"),
                     "associated_data": "refund", "nonce": "a1b2c3d4e5f6"}}, ensure_ascii=False)
    refund_headers = wechatpay.platform_headers(platform_key, platform_serial, refund_body,
                                                timestamp=TIMESTAMP + 3611, nonce="b7c8d9e0f1a2b3c4d5")
    samples = {
        "merchant": {"mchid": MCHID, "appid": APPID, "serial_no": merchant_serial, "api_v3_key": API_V3_KEY,
                     "platform_serial": platform_serial},
        "jsapi_prepay": {"method": prepay.method, "url": prepay.url, "headers": prepay.headers,
                         "body": prepay.content.decode(), "timestamp": TIMESTAMP,
                         "nonce": "593BEC0C930BF1AFEB40B4A08C8FB242"},
        "pay_params": wechatpay.jsapi_pay_params(merchant, "wx201410272009395522657a690389285100",
                                                 timestamp=TIMESTAMP, nonce="5K8264ILTKCH16CQ2502SI8ZNMTM67VS"),
        "transaction_notification": {"headers": headers, "body": body, "resource": transaction,
                                     "received_at": TIMESTAMP + 7},
        "refund_request": {"method": refund_request.method, "url": refund_request.url,
                           "headers": refund_request.headers, "body": refund_request.content.decode(),
                           "timestamp": TIMESTAMP + 3600, "nonce": "A1B2C3D4E5F60718293A4B5C6D7E8F90"},
        "refund_notification": {"headers": refund_headers, "body": refund_body, "resource": refund,
                                "received_at": TIMESTAMP + 3612},
    }
    (HERE / "samples.json").write_text(json.dumps(samples, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()

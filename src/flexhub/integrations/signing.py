"""The digests platforms and carriers sign with, a constant-time comparison, and the refusal of a bad signature."""

import base64
import hashlib
import hmac

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa


def hmac_sha256(secret: str | bytes, message: str | bytes) -> bytes:
    return hmac.new(_bytes(secret), _bytes(message), hashlib.sha256).digest()


def hmac_sha256_base64(secret: str | bytes, message: str | bytes) -> str:
    return base64.b64encode(hmac_sha256(secret, message)).decode()


def hmac_sha256_hex(secret: str | bytes, message: str | bytes) -> str:
    return hmac_sha256(secret, message).hex()


def hmac_md5_hex(secret: str | bytes, message: str | bytes) -> str:
    return hmac.new(_bytes(secret), _bytes(message), hashlib.md5).hexdigest()


def md5_hex(message: str | bytes) -> str:
    return hashlib.md5(_bytes(message)).hexdigest()


def md5_base64(message: str | bytes) -> str:
    """Base64 of the raw MD5 digest: SF Express's msgDigest and ZTO's data digest."""
    return base64.b64encode(hashlib.md5(_bytes(message)).digest()).decode()


def sha256_hex(message: str | bytes) -> str:
    return hashlib.sha256(_bytes(message)).hexdigest()


def sha1_hex(message: str | bytes) -> str:
    return hashlib.sha1(_bytes(message)).hexdigest()  # WeChat's push signatures are SHA-1; its choice


def same(expected: str, given: str | None) -> bool:
    """Constant-time equality; a missing signature never matches."""
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())


def _bytes(value: str | bytes) -> bytes:
    return value.encode() if isinstance(value, str) else value


def ecdsa_verifies(public_key_der: bytes, signature_der: bytes, message: str | bytes, digest: str = "SHA256") -> bool:
    """An ECDSA signature (DER) over the message by an X.509 SubjectPublicKeyInfo EC key; any doubt is False."""
    algorithm = {"SHA1": hashes.SHA1(), "SHA256": hashes.SHA256(), "SHA384": hashes.SHA384()}.get(digest.upper())
    try:
        key = serialization.load_der_public_key(public_key_der)
        if algorithm is None or not isinstance(key, ec.EllipticCurvePublicKey):
            return False
        key.verify(signature_der, _bytes(message), ec.ECDSA(algorithm))
    except (InvalidSignature, UnsupportedAlgorithm, ValueError):
        return False
    return True


def rsa_sha256_base64(private_key_pem: str | bytes, message: str | bytes) -> str:
    """SHA256 with RSA (PKCS#1 v1.5) by a PEM private key, Base64: WeChat Pay API v3's request and response
    signatures."""
    key = serialization.load_pem_private_key(_bytes(private_key_pem), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("not an RSA private key")
    return base64.b64encode(key.sign(_bytes(message), padding.PKCS1v15(), hashes.SHA256())).decode()


def rsa_sha256_verifies(certificate_pem: str | bytes, signature_base64: str, message: str | bytes) -> bool:
    """A SHA256-with-RSA signature (Base64) over the message by the public key of a PEM X.509 certificate (or a
    PEM public key); any doubt is False."""
    try:
        pem = _bytes(certificate_pem)
        key = (x509.load_pem_x509_certificate(pem).public_key() if b"CERTIFICATE" in pem
               else serialization.load_pem_public_key(pem))
        if not isinstance(key, rsa.RSAPublicKey):
            return False
        key.verify(base64.b64decode(signature_base64, validate=True), _bytes(message), padding.PKCS1v15(),
                   hashes.SHA256())
    except (InvalidSignature, UnsupportedAlgorithm, ValueError, TypeError):
        return False
    return True


class SignatureInvalid(Exception):
    """The inbound request's signature does not verify: answer 401 and store nothing."""

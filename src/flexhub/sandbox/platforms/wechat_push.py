"""WeChat message pushes in safe mode (安全模式), as the platform sends them to a shop's server.

The message (JSON) is encrypted: Encrypt = Base64(AES-256-CBC(random 16 B + length 4 B big-endian +
message + appid)), keyed with Base64_Decode(EncodingAESKey + "="), IV its first 16 bytes, PKCS#7
padded to 32-byte blocks. The query carries timestamp, nonce, encrypt_type=aes, signature =
sha1(sorted [token, timestamp, nonce]) and msg_signature = sha1(sorted [token, timestamp, nonce, Encrypt]).
"""

import base64
import json
import os
import struct
import time
from urllib.parse import urlencode

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from flexhub.integrations.signing import sha1_hex
from flexhub.sandbox.platform import Webhook

BLOCK = 32


def order_push(code: str, credentials: dict[str, str], order_id: str, sent_at: float | None = None) -> Webhook:
    """A new order's push, signed as sent now (or at `sent_at`, Unix seconds), with a nonce of its own."""
    sent = int(time.time() if sent_at is None else sent_at)
    message = {"ToUserName": "gh_sandbox", "FromUserName": "oSandbox-linwei", "CreateTime": sent,
               "MsgType": "event", "Event": "channels_ec_order_new", "order_info": {"order_id": int(order_id)}}
    encrypted = encrypt(credentials["encoding_aes_key"], credentials["appid"], json.dumps(message).encode())
    timestamp, nonce = str(sent), os.urandom(5).hex()
    token = credentials["token"]
    query = {"timestamp": timestamp, "nonce": nonce, "encrypt_type": "aes",
             "signature": sha1_hex("".join(sorted([token, timestamp, nonce]))),
             "msg_signature": sha1_hex("".join(sorted([token, timestamp, nonce, encrypted])))}
    body = json.dumps({"ToUserName": "gh_sandbox", "Encrypt": encrypted}).encode()
    return Webhook(f"/webhooks/wechat/{code}?{urlencode(query)}", {"Content-Type": "application/json"}, body)


def encrypt(encoding_aes_key: str, appid: str, message: bytes) -> str:
    key = base64.b64decode(encoding_aes_key + "=")
    plain = os.urandom(16) + struct.pack(">I", len(message)) + message + appid.encode()
    pad = BLOCK - len(plain) % BLOCK
    plain += bytes([pad]) * pad
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()

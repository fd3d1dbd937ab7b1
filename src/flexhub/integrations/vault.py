"""Credentials at rest (channels, carriers, webhook endpoints): Fernet with the hub's secret key."""

import hashlib
import hmac
import json
import os
import tempfile
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken


class Vault:
    def __init__(self, key: str | bytes) -> None:
        self._fernet = Fernet(key)
        raw = key if isinstance(key, bytes) else key.encode()
        self._tag_key = hashlib.sha256(b"flexhub link tags\0" + raw).digest()  # never the sealing key itself

    def seal(self, credentials: dict[str, str]) -> str:
        return self._fernet.encrypt(json.dumps(credentials, sort_keys=True).encode()).decode()

    def tag(self, text: str) -> str:
        """A keyed tag of `text` (HMAC-SHA256, 96 bits): a link carrying it was made by this hub."""
        return hmac.new(self._tag_key, text.encode(), hashlib.sha256).hexdigest()[:24]

    def has_tag(self, text: str, tag: str) -> bool:
        return hmac.compare_digest(self.tag(text), tag)

    def open(self, sealed: str | None) -> dict[str, str]:
        if not sealed:
            return {}
        try:
            return json.loads(self._fernet.decrypt(sealed.encode()))
        except InvalidToken as error:
            raise RuntimeError("channel credentials do not open with this FLEXHUB_SECRET_KEY") from error


def key_from(setting: str | None, key_file: Path) -> str:
    """The configured key, else one kept in `key_file` (created on first use, readable by its owner only)."""
    if setting:
        return setting
    if key_file.exists():
        return key_file.read_text().strip()
    key_file.parent.mkdir(parents=True, exist_ok=True)
    # Written aside, then linked into place: concurrent first runs agree on one key.
    with tempfile.NamedTemporaryFile("w", dir=key_file.parent, delete=False) as draft:
        os.chmod(draft.name, 0o600)
        draft.write(Fernet.generate_key().decode())
    try:
        os.link(draft.name, key_file)
    except FileExistsError:
        pass
    finally:
        os.unlink(draft.name)
    return key_file.read_text().strip()

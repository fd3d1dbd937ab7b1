"""The request object every outbound protocol builds: adapters and carriers make them, workers send them.

Building a call and sending it are kept apart so that a platform or carrier module stays pure and testable
against saved payloads; the sender paces, retries and records.
"""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class ApiRequest:
    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
    json: Any = None
    content: bytes | None = None

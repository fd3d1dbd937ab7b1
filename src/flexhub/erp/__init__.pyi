"""The public face of flexhub.erp: what other capabilities import (loaded on first use, kernel/faces.py)."""

from flexhub.erp.commands import (
    ConnectionCreated,
    CreateConnection,
    DocumentRetried,
    MapRecord,
    RecordMapped,
    RetryDocument,
    SyncConnection,
    Synced,
)
from flexhub.erp.errors import ConnectionExists, MissingCredentials, NoConnector, UnknownConnection, UnknownKind

__all__ = [
    "ConnectionCreated", "ConnectionExists", "CreateConnection", "DocumentRetried", "MapRecord", "MissingCredentials",
    "NoConnector", "RecordMapped", "RetryDocument", "SyncConnection", "Synced", "UnknownConnection", "UnknownKind",
]

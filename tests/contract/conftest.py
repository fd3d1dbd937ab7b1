"""Platform and carrier samples live in ../shared/fixtures/channels beside the repo; read, never copied."""

import json
from pathlib import Path
from typing import Any

import pytest

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "channels"


@pytest.fixture(scope="session")
def samples() -> Path:
    if not SAMPLES.is_dir():
        pytest.fail(f"platform samples not found at {SAMPLES}; ../shared must sit beside the repository")
    return SAMPLES


@pytest.fixture(scope="session")
def sample_json(samples: Path):
    def load(name: str) -> Any:
        return json.loads((samples / name).read_text(encoding="utf-8"))

    return load


@pytest.fixture(scope="session")
def signature_vectors(sample_json) -> dict[str, Any]:
    return sample_json("SELF_COMPUTED_signature_vectors.json")

"""The spelling of a code people choose (SKU, location, partner, channel, supplier): one pattern every schema checks."""

from typing import Any

from pydantic import Field

Code: Any = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$")

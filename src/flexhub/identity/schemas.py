"""Identity DTOs."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from flexhub.kernel.codes import Code


class PartnerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Code
    kind: Literal["reseller", "supplier", "store"]
    name: str | None = Field(default=None, max_length=200)


class PartnerOut(BaseModel):
    id: str
    code: str
    kind: str
    name: str


class ApiKeyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["admin", "operator", "viewer", "partner"]
    name: str = Field(default="api", min_length=1, max_length=200)
    partner: str | None = Field(default=None, max_length=64)


class ApiKeyOut(BaseModel):
    id: str
    role: str
    token: str = Field(description="shown once; only its hash is kept")


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    login: str = Field(min_length=1, max_length=120, description="a login name or an e-mail address")
    password: str = Field(min_length=1, max_length=256, description="kept only as an Argon2id hash; never returned")
    role: Literal["admin", "operator", "viewer", "partner"]
    display_name: str | None = Field(default=None, max_length=200)
    partner: str | None = Field(default=None, max_length=64)


class UserOut(BaseModel):
    id: str
    login: str
    display_name: str
    role: str
    partner: str | None


class SessionsRevokedOut(BaseModel):
    user_id: str
    login: str
    revoked: int = Field(description="the user's dashboard sessions that were live and are now revoked")


class TenantSettingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    time_zone: str | None = Field(max_length=64, description="an IANA zone (Asia/Shanghai); null: each page shows "
                                  "its language's zone (Asia/Shanghai for Chinese, UTC for English)")


class TenantSettingsOut(BaseModel):
    time_zone: str | None

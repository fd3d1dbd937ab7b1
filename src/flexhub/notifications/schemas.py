"""Outbound webhook DTOs."""

from datetime import datetime

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field


class EndpointIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: AnyHttpUrl
    event_types: list[str] = Field(default_factory=list, max_length=50,
                                   description="leave empty for every event this key may receive")
    allow_private: bool = Field(default=False, description="admins only: allow a private or local address "
                                "(loopback, RFC 1918, link-local); refused with 422 otherwise")


class EndpointOut(BaseModel):
    id: str
    url: str
    event_types: list[str]
    active: bool
    partner_id: str | None
    allow_private: bool = False
    created_at: datetime | None = None


class CreatedEndpointOut(EndpointOut):
    secret: str = Field(description="`whsec_…`, shown once: verify `webhook-signature` with it")


class EndpointsOut(BaseModel):
    endpoints: list[EndpointOut]


class DeliveryOut(BaseModel):
    id: str
    endpoint_id: str
    event_id: str
    event_type: str
    state: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    delivered_at: datetime | None


class DeliveriesOut(BaseModel):
    deliveries: list[DeliveryOut]


class DeletedEndpointOut(BaseModel):
    id: str
    deleted: bool
    deliveries: int = Field(description="deliveries removed with it")


class RotatedSecretOut(BaseModel):
    id: str
    secret: str = Field(description="the new `whsec_…`, shown once; the old one signs nothing from now on")


class RetriedOut(BaseModel):
    id: str
    state: str

"""Cleaning routes: /api/v1/cleaning — the tenant's rules (JSON, or YAML text), the kinds there are, and the holds
still open. Reading the rules is for staff; changing them for an admin. Holds: a partner sees its own orders'."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field, model_validator

from flexhub.api.auth import HubDep, Reader, allowed
from flexhub.cleaning import checks, queries
from flexhub.cleaning.commands import SetCleaningRules
from flexhub.cleaning.reading import rules_from_yaml
from flexhub.cleaning.screening import stored_rules
from flexhub.kernel.messages import Actor

router = APIRouter(prefix="/api/v1/cleaning", tags=["cleaning"])
Staff = Annotated[Actor, Depends(allowed("brand.read"))]
Admin = Annotated[Actor, Depends(allowed("cleaning.configure"))]
EXAMPLE: dict[str, Any] = {"rules": [
    {"name": "cn-address", "kind": "address", "action": "hold", "params": {"require_postal_code": False}},
    {"name": "same-order-twice", "kind": "duplicate", "action": "hold", "params": {"window_minutes": 60}},
    {"name": "bulk", "kind": "quantity", "action": "hold", "params": {"max_units_per_line": 50}},
    {"name": "blocked", "kind": "blacklist", "action": "reject", "params": {"phones": ["13900000000"]}},
]}


class RulesIn(BaseModel):
    """The whole rule set: `rules` as JSON, or `yaml` (a document with a `rules:` list); an empty list turns
    cleaning off."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [EXAMPLE]})

    rules: list[dict[str, Any]] | None = Field(default=None, max_length=100)
    yaml: str | None = Field(default=None, max_length=200_000)

    @model_validator(mode="after")
    def _one_of(self) -> "RulesIn":
        if (self.rules is None) == (self.yaml is None):
            raise ValueError("send either `rules` or `yaml`")
        return self


@router.get("/rules")
def get_rules(actor: Staff, hub: HubDep) -> dict[str, Any]:
    with hub.uow(write=False) as uow:
        rules = stored_rules(uow.connection, actor.tenant_id)
    return {"rules": [rule.as_dict() for rule in rules], "kinds": sorted(checks.PARAMS)}


@router.put("/rules")
def put_rules(body: RulesIn, actor: Admin, hub: HubDep) -> dict[str, Any]:
    """Replace the rules. A rule that is wrong refuses the whole set with nothing written: `cleaning.invalid_rule`
    (its params), `cleaning.unknown_kind`, `cleaning.duplicate_rule`, `cleaning.unreadable_yaml`, or
    `channels.unknown_channel` for a channel the tenant does not have."""
    raw = body.rules if body.rules is not None else rules_from_yaml(body.yaml or "")
    saved = hub.handle(SetCleaningRules(actor=actor, rules=raw))
    return {"rules": saved.rules}


@router.get("/holds")
def open_holds(actor: Reader, hub: HubDep, limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict[str, Any]:
    """Orders held on import and not yet released or cancelled, newest first, with what each rule found."""
    with hub.uow(write=False) as uow:
        return {"holds": queries.open_holds(uow.connection, actor.tenant_id, partner_id=actor.partner_id,
                                            limit=limit)}

"""Stock sync's routes: reconcile a channel now (under the channels' paths, where clients already call it)."""

from typing import Annotated

from fastapi import APIRouter, Depends

from flexhub.api.auth import HubDep, allowed
from flexhub.channels import polling
from flexhub.kernel.messages import Actor
from flexhub.sync import reconcile

router = APIRouter(prefix="/api/v1/channels", tags=["channels"])
Writer = Annotated[Actor, Depends(allowed("channels.write"))]


@router.post("/{code}/reconcile")
def reconcile_channel(code: str, actor: Writer, hub: HubDep) -> dict:
    """Read every listing's stock back from the platform now; drift is recorded and pushed right."""
    return reconcile.reconcile_channel(hub, polling.channel_by_code(hub, actor.tenant_id, code), actor)

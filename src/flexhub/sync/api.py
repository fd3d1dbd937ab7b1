"""Stock sync's routes: reconcile a channel now (under the channels' paths, where clients already call it)."""

from typing import Annotated

from fastapi import APIRouter, Depends

from flexhub import channels
from flexhub.api.auth import HubDep, allowed
from flexhub.kernel.messages import Actor
from flexhub.sync import reconcile

router = APIRouter(prefix="/api/v1/channels", tags=["channels"])
Writer = Annotated[Actor, Depends(allowed("channels.write"))]


@router.post("/{code}/reconcile")
def reconcile_channel(code: str, actor: Writer, hub: HubDep) -> dict:
    """Read every listing's stock back from the platform now; drift is recorded and pushed right."""
    with hub.uow(write=False) as uow:
        channel = channels.channel_by_code(uow.connection, actor.tenant_id, code)
    return reconcile.reconcile_channel(hub, channel, actor)

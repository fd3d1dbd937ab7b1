"""Stock alerts over a real hub on SQLite and PostgreSQL: predicted stock-outs and excess stock per SKU × node,
raised and cleared by the job, with AlertRaised / AlertCleared in the outbox only when something changes."""

import json

import httpx2

from flexhub.alerts.commands import AlertsRaised, RaiseAlerts
from flexhub.notifications import signing
from flexhub.notifications.delivery import WebhookSender
from flexhub.testing import builders
from flexhub.testing.api_client import Api
from flexhub.testing.snapshots import outbox

ALERTS = "/api/v1/alerts"


def alert_events(api: Api) -> list[tuple[str, str, str]]:
    return [(e.type, e.body["kind"], e.body["sku"]) for e in outbox(api.hub) if e.type.startswith("Alert")]


def test_stock_outs_are_raised_once_and_clear_when_stock_arrives(selling: Api) -> None:
    assert selling.hub.handle(RaiseAlerts()) == AlertsRaised(raised=2, cleared=0)

    found = selling.get(ALERTS, role="viewer")["alerts"]
    assert sorted((a["kind"], a["sku"], a["location"]) for a in found) == [
        ("stockout", "CAP-BLK", "WH-CENTRAL"), ("stockout", "TEE-RED-M", "WH-CENTRAL")]
    tee = next(a for a in found if a["sku"] == "TEE-RED-M")
    assert tee["detail"]["position"] == 10 and tee["detail"]["within_days"] == 10  # lead 3 + review 7
    assert sorted(alert_events(selling)) == [("AlertRaised", "stockout", "CAP-BLK"),
                                             ("AlertRaised", "stockout", "TEE-RED-M")]

    assert selling.hub.handle(RaiseAlerts()) == AlertsRaised(raised=0, cleared=0)
    assert len(alert_events(selling)) == 2  # the same conditions again: nothing written

    builders.receive(selling.hub, selling.tenant.admin, "TEE-RED-M", "WH-CENTRAL", 1000)
    assert selling.hub.handle(RaiseAlerts()) == AlertsRaised(raised=1, cleared=1)

    assert alert_events(selling)[2:] == [("AlertRaised", "excess", "TEE-RED-M"),
                                         ("AlertCleared", "stockout", "TEE-RED-M")]
    assert [a["sku"] for a in selling.get(ALERTS, kind="stockout")["alerts"]] == ["CAP-BLK"]
    (excess,) = selling.get(ALERTS, kind="excess", sku="TEE-RED-M", location="WH-CENTRAL")["alerts"]
    assert excess["detail"]["cover_days"] > 90
    assert [a["kind"] for a in selling.get(ALERTS, state="cleared")["alerts"]] == ["stockout"]


def test_a_partner_key_sees_no_alerts_and_filters_are_checked(selling: Api) -> None:
    selling.hub.handle(RaiseAlerts())
    assert selling.get(ALERTS, role="partner") == {"alerts": []}
    bad = selling.client.get(ALERTS, params={"kind": "late"}, headers=selling.headers())
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "request.invalid"


def test_alerts_go_out_by_webhook_to_a_tenant_endpoint(selling: Api) -> None:
    sent: list[httpx2.Request] = []
    selling.hub.http = httpx2.Client(transport=httpx2.MockTransport(lambda r: sent.append(r) or httpx2.Response(200)))
    endpoint = selling.post("/api/v1/notifications/endpoints", {"url": "https://erp.example/alerts",
                                                                 "event_types": ["AlertRaised", "AlertCleared"]})
    selling.hub.handle(RaiseAlerts())
    selling.hub.relay.run_once()

    assert WebhookSender(selling.hub.uow, http=selling.hub.http, vault=selling.hub.vault).run_once() == 2
    assert sorted(json.loads(r.content)["data"]["sku"] for r in sent) == ["CAP-BLK", "TEE-RED-M"]
    for request in sent:
        signing.verify(endpoint["secret"], dict(request.headers), request.content, now=int(request.headers[
            "webhook-timestamp"]))

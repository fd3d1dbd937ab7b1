"""A sandbox SF Express: the 丰桥 gateway as flexhub.shipping.carriers.sf_express calls it, and its route pushes.

    POST /std/service     form partnerID, requestID, serviceCode, timestamp, msgDigest, msgData; the digest is
                          checked with the account's check word (A1006 数字签名无效 otherwise), as SF does.
      EXP_RECE_CREATE_ORDER   a waybill "SF" + 13 digits per orderId (the same orderId asked again answers the
                              same waybill, so a retried call after a lost answer does not make a second parcel)
      EXP_RECE_SEARCH_ROUTES  every route of the numbers asked, as routeResps
      EXP_RECE_QUERY_DELIVERTM  one product (顺丰标快, code 2) priced by weight, promised in two days
    GET  /_sandbox/waybills   the waybills issued and their routes (for people driving the demo)

`scan(waybill, state)` moves a parcel on (`advance` moves every parcel one step along JOURNEY, and `run` does
so on a timer for the demo): a route with the opCode SF uses for that state is added and pushed,
as SF's RoutePushService does, to the push URL set for the account (JSON {"Body": {"WaybillRoute": [...]}},
the URL carrying our `token`), delivered and retried by the sandbox courier. Scan times are Beijing times to
the second, as SF writes them, each at least a second after the waybill's last.
"""

import itertools
import json
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

from fastapi import FastAPI, Request, Response

from flexhub.integrations.beijing import beijing_text
from flexhub.kernel import clock
from flexhub.sandbox.courier import Courier
from flexhub.sandbox.platform import Webhook
from flexhub.shipping.carriers.sf_express import msg_digest

# The opCode SF writes for each of our tracking states (the adapter's OP_CODES read them back).
OP_CODES = {"info_received": "655", "picked_up": "54", "in_transit": "30", "out_for_delivery": "44",
            "delivered": "80", "failed_attempt": "70", "exception": "33", "returned": "648"}
REMARKS = {"info_received": "顺丰合作点已代收", "picked_up": "顺丰速运 已收取快件", "in_transit": "快件到达 【中转场】",
           "out_for_delivery": "快件交给快递员，正在派送途中", "delivered": "已签收", "failed_attempt": "派件不成功",
           "exception": "快件派送异常", "returned": "快件已退回"}
FEE_PER_KG = 12  # yuan, first kilogram included
JOURNEY = ("picked_up", "in_transit", "out_for_delivery", "delivered")  # the scans of a parcel that goes well


@dataclass
class Parcel:
    waybill: str
    order_id: str
    destination: str
    routes: list[dict[str, Any]] = field(default_factory=list)
    sender: dict[str, Any] = field(default_factory=dict)  # the 寄件方 contact as the order named it


class SfSandbox:
    """One SF account (partner id and check word) and the parcels it carries."""

    def __init__(self, *, partner_id: str = "SANDBOXPARTNER", check_word: str = "sandbox-check-word",
                 courier: Courier | None = None) -> None:
        self.partner_id = partner_id
        self.check_word = check_word
        self.push_url = ""  # where route pushes go: the hub's /webhooks/carriers/sf_express/{account}?token=...
        self.parcels: dict[str, Parcel] = {}
        self.pushed: list[int] = []  # the HTTP status of each push delivery attempt
        self._by_order: dict[str, str] = {}
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()
        self._courier = courier or Courier(threads=1)
        self._route_ids = itertools.count(1_004_936_106_400)

    def credentials(self, base_url: str, push_token: str) -> dict[str, str]:
        """The account as a flexhub carrier account holds it (base_url pointing at this sandbox)."""
        return {"partner_id": self.partner_id, "check_word": self.check_word, "monthly_card": "7551234567",
                "push_token": push_token, "base_url": base_url.rstrip("/") + "/std/service"}

    def serve(self, form: dict[str, str]) -> dict[str, Any]:
        """One gateway call, answered as SF answers it."""
        if form.get("partnerID") != self.partner_id:
            return {"apiResultCode": "A1001", "apiErrorMsg": "partnerID 不存在", "apiResultData": None}
        expected = msg_digest(form.get("msgData", ""), form.get("timestamp", ""), self.check_word)
        if form.get("msgDigest") != expected:
            return {"apiResultCode": "A1006", "apiErrorMsg": "数字签名无效", "apiResultData": None}
        msg = json.loads(form["msgData"])
        services = {"EXP_RECE_CREATE_ORDER": self._create_order, "EXP_RECE_SEARCH_ROUTES": self._routes,
                    "EXP_RECE_QUERY_DELIVERTM": self._quote}
        service = services.get(form.get("serviceCode", ""))
        if service is None:
            return {"apiResultCode": "A1003", "apiErrorMsg": "服务代码不存在", "apiResultData": None}
        with self._lock:
            data = service(msg)
        result = {"success": True, "errorCode": "S0000", "errorMsg": None, "msgData": data}
        return {"apiResultCode": "A1000", "apiErrorMsg": "", "apiResponseID": form.get("requestID", ""),
                "apiResultData": json.dumps(result, ensure_ascii=False)}

    def scan(self, waybill: str, state: str, *, push: bool = True) -> dict[str, Any]:
        """The parcel reaches `state`: a route is added and (unless `push` is False) pushed to the hub."""
        with self._lock:
            parcel = self.parcels[waybill]
            at = clock.now().replace(microsecond=0)
            if parcel.routes:
                last = datetime.fromisoformat(parcel.routes[-1]["_at"])
                at = max(at, last + timedelta(seconds=1))
            route = {"mailno": waybill, "orderid": parcel.order_id, "acceptTime": beijing_text(at),
                     "acceptAddress": parcel.destination if state in ("out_for_delivery", "delivered") else "深圳市",
                     "remark": REMARKS[state], "opCode": OP_CODES[state], "id": str(next(self._route_ids)),
                     "reasonCode": "", "reasonName": "", "_at": at.isoformat()}
            parcel.routes.append(route)
        if push and self.push_url:
            self.push([route])
        return _public(route)

    def push(self, routes: list[dict[str, Any]]) -> None:
        """Send routes (again: SF redelivers a push it got no "0000" for) to the push URL."""
        self._courier.deliver("", self.push_request(routes), self.pushed.append)

    def push_request(self, routes: list[dict[str, Any]], url: str | None = None) -> Webhook:
        """The RoutePushService call carrying these routes, to `url` (default: the push URL)."""
        body = json.dumps({"Body": {"WaybillRoute": [_public(r) for r in routes]}}, ensure_ascii=False).encode()
        return Webhook(self.push_url if url is None else url, {"Content-Type": "application/json"}, body)

    def advance(self) -> int:
        """Move every parcel not yet delivered one scan along its way (JOURNEY); returns how many moved."""
        with self._lock:
            due = [(p.waybill, JOURNEY[_step(p)]) for p in self.parcels.values() if _step(p) < len(JOURNEY)]
        for waybill, state in due:
            self.scan(waybill, state)
        return len(due)

    def run(self, every_s: float, stop: threading.Event) -> None:
        """Advance every `every_s` until `stop` is set (`flexhub sandbox`: the demo's parcels travel)."""
        while not stop.wait(every_s):
            self.advance()

    def drain(self, timeout: float = 10.0) -> bool:
        return self._courier.drain(timeout)

    def close(self) -> None:
        self._courier.close()

    def _create_order(self, msg: dict[str, Any]) -> dict[str, Any]:
        order_id = msg["orderId"]
        if order_id not in self._by_order:
            waybill = f"SF{7_444_400_000_000 + next(self._numbers):013d}"
            contacts = msg.get("contactInfoList", [])
            to: dict[str, Any] = next((c for c in contacts if c.get("contactType") == 2), {})
            sender: dict[str, Any] = next((c for c in contacts if c.get("contactType") == 1), {})
            self.parcels[waybill] = Parcel(waybill, order_id, to.get("city") or to.get("province") or "",
                                           sender=sender)
            self._by_order[order_id] = waybill
        return {"orderId": order_id, "filterResult": 2, "originCode": "755", "destCode": "571",
                "waybillNoInfoList": [{"waybillType": 1, "waybillNo": self._by_order[order_id]}]}

    def _routes(self, msg: dict[str, Any]) -> dict[str, Any]:
        found = [self.parcels[n] for n in msg.get("trackingNumber", []) if n in self.parcels]
        return {"routeResps": [{"mailNo": p.waybill, "routes": [_public(r) for r in p.routes]} for p in found]}

    def _quote(self, msg: dict[str, Any]) -> dict[str, Any]:
        kilos = max(1, -int(-float(msg.get("weight") or 1) // 1))
        promised = beijing_text(clock.now() + timedelta(days=2))[:10] + " 18:00:00"
        return {"deliverTmDto": [{"businessType": "2", "businessTypeDesc": "顺丰标快", "fee": FEE_PER_KG * kilos,
                                  "deliverTime": promised}]}


def create_app(sandbox: SfSandbox) -> FastAPI:
    app = FastAPI(title="flexhub sandbox SF Express", docs_url=None, openapi_url=None)

    @app.post("/std/service")
    async def gateway(request: Request) -> Response:
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode(), keep_blank_values=True).items()}
        return Response(json.dumps(sandbox.serve(form), ensure_ascii=False), media_type="application/json")

    @app.get("/_sandbox/waybills")
    def waybills() -> list[dict[str, Any]]:
        return [{"waybill": p.waybill, "order_id": p.order_id, "routes": [_public(r) for r in p.routes]}
                for p in sandbox.parcels.values()]

    return app


def _step(parcel: Parcel) -> int:
    """How far along JOURNEY the parcel is: the index of its next scan."""
    done = {route["opCode"] for route in parcel.routes}
    return next((n for n, state in enumerate(JOURNEY) if OP_CODES[state] not in done), len(JOURNEY))


def _public(route: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in route.items() if not k.startswith("_")}

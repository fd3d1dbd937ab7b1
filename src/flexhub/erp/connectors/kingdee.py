"""Kingdee Cloud Galaxy (金蝶云星空, K/3 Cloud) through its WebAPI: JSON posted to
`<url>/<service>.common.kdsvc`. It signs in with `AuthService.LoginByAppSecret` ({acctid, username, appid,
appsecret, lcid} → `LoginResultType` 1 and the `kdservice-sessionid` session, sent back as a cookie), then calls
`DynamicFormService.Save`, `Submit` and `Audit` with {"formid", "data"} and reads with `ExecuteBillQuery`
({"data": {FormId, FieldKeys, FilterString, OrderString, StartRow, Limit}} → rows as lists).

Documents: 销售订单 SAL_SaleOrder, 销售出库单 SAL_OUTSTOCK, 销售退货单 SAL_RETURNSTOCK (the credit for a return),
采购入库单 STK_InStock (the receipt of a 采购订单 PUR_PurchaseOrder), 凭证 GL_VOUCHER (a settlement's journal, the
hub's id in each entry's 摘要 `FEXPLANATION`); each other bill carries the hub's id in its 备注 `FNote`,
searched before a bill is saved, and is saved, submitted and audited (a bill found saved but not yet audited is
submitted and audited then). Items are 物料 BD_MATERIAL by number, suppliers 供应商 BD_Supplier, customers 客户
BD_Customer.

Errors as the WebAPI answers them: `{"Result": {"ResponseStatus": {"IsSuccess": false, "MsgCode": …, "Errors":
[{"FieldName", "Message"}]}}}` (a query wraps it in a list of lists); MsgCode 1 is a lost session, signed in again
once.
"""

import json
from datetime import date
from typing import Any

import httpx2

from flexhub.erp.connectors.base import Document, ErpFailure, Page, http_failure

SERVICE = "Kingdee.BOS.WebApi.ServicesStub."
LOGIN = "AuthService.LoginByAppSecret"
SESSION = "kdservice-sessionid"
# kind → (form, its entry table)
DOCUMENTS = {"sale_order": ("SAL_SaleOrder", "FSaleOrderEntry"), "delivery": ("SAL_OUTSTOCK", "FEntity"),
             "credit_note": ("SAL_RETURNSTOCK", "FEntity"), "receipt": ("STK_InStock", "FInStockEntry"),
             "stock_in": ("STK_MISCELLANEOUS", "FEntity"), "stock_out": ("STK_MisDelivery", "FEntity"),
             "journal": ("GL_VOUCHER", "FEntity")}
CURRENCIES = {"CNY": "PRE001", "USD": "PRE007"}  # Kingdee's preset currency numbers
STREAMS = {"products": ("BD_MATERIAL", "FMATERIALID,FNumber,FName,FBARCODE,FRefCost,FModifyDate"),
           "suppliers": ("BD_Supplier", "FSupplierId,FNumber,FName,FModifyDate"),
           "purchase_orders": ("PUR_PurchaseOrder",
                               "FID,FBillNo,FSupplierId.FNumber,FSupplierId.FName,FSettleCurrId.FNumber,"
                               "FDeliveryDate,FCancelStatus,FModifyDate")}
PO_LINES = "FID,FMaterialId.FNumber,FQty,FTaxPrice"
LOST_SESSION = 1


def tag(hub_ref: str) -> str:
    return f"flexhub:{hub_ref}"


def quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def status_failure(status: dict[str, Any]) -> ErpFailure:
    """A failed `ResponseStatus` as a failure with its reason."""
    errors = "; ".join(str(e.get("Message") or "") for e in status.get("Errors") or [] if e.get("Message"))
    if status.get("MsgCode") == LOST_SESSION:
        return ErpFailure("session_expired", errors or "session lost")
    return ErpFailure("validation", errors or f"MsgCode {status.get('MsgCode')}")


def to_money(minor: int | None) -> float:
    return round((minor or 0) / 100, 2)


def from_money(value: Any) -> int:
    return round(float(value or 0) * 100)


class KingdeeConnector:
    kind = "kingdee"

    def session(self, http: httpx2.Client, url: str, credentials: dict[str, str]) -> "KingdeeSession":
        return KingdeeSession(http, url, credentials)


class KingdeeSession:
    def __init__(self, http: httpx2.Client, url: str, credentials: dict[str, str]) -> None:
        self._http = http
        self._base = url.rstrip("/") + "/" + SERVICE
        self._login = {"acctid": credentials["acct_id"], "username": credentials["username"],
                       "appid": credentials["app_id"], "appsecret": credentials["app_secret"],
                       "lcid": int(credentials["lcid"])}
        self._session: str | None = None

    def post(self, service: str, body: dict[str, Any]) -> Any:
        headers = {"Content-Type": "application/json"}
        if self._session:
            headers["Cookie"] = f"{SESSION}={self._session}"
        try:
            response = self._http.post(f"{self._base}{service}.common.kdsvc", content=json.dumps(body),
                                       headers=headers)
        except httpx2.HTTPError as error:
            raise http_failure(error) from error
        if response.status_code not in (200, 206):
            raise http_failure(response)
        try:
            return response.json()
        except ValueError as error:
            raise ErpFailure("unavailable", response.text[:200] or "an empty answer") from error

    def signed_in(self) -> None:
        if self._session:
            return
        answer = self.post(LOGIN, self._login)
        if answer.get("LoginResultType") != 1 or not answer.get("KDSVCSessionId"):
            raise ErpFailure("access_denied", str(answer.get("Message") or "Kingdee refused the sign-in"))
        self._session = str(answer["KDSVCSessionId"])

    def call(self, operation: str, body: dict[str, Any]) -> Any:
        """A DynamicFormService call, signing in again once when Kingdee says the session was lost."""
        for attempt in (1, 2):
            self.signed_in()
            answer = self.post(f"DynamicFormService.{operation}", body)
            try:
                return _checked(answer)
            except ErpFailure as failure:
                if failure.reason != "session_expired" or attempt == 2:
                    raise
                self._session = None
        raise AssertionError("unreachable")

    def query(self, form: str, keys: str, where: str, *, order: str = "", start: int = 0,
              limit: int = 0) -> list[dict[str, Any]]:
        rows = self.call("ExecuteBillQuery", {"data": {
            "FormId": form, "FieldKeys": keys, "FilterString": where, "OrderString": order, "TopRowCount": 0,
            "StartRow": start, "Limit": limit}})
        names = keys.split(",")
        return [dict(zip(names, row, strict=False)) for row in rows]

    def find_document(self, kind: str, hub_ref: str) -> str | None:
        form, _ = DOCUMENTS[kind]
        where = "FEXPLANATION" if kind == "journal" else "FNote"  # a voucher carries it in each entry's 摘要
        found = self.query(form, "FID,FBillNo,FDocumentStatus", f"{where} = {quoted(tag(hub_ref))}", limit=1)
        if not found:
            return None
        bill = found[0]
        self._audited(form, str(bill["FBillNo"]), str(bill["FDocumentStatus"]))
        return str(bill["FBillNo"])

    def create_document(self, document: Document) -> str:
        form, _ = DOCUMENTS[document.kind]
        saved = self.call("Save", {"formid": form, "data": {"Model": self._model(document)}})
        number = str(saved["Number"])
        self._audited(form, number, "A")
        return number

    def _audited(self, form: str, number: str, state: str) -> None:
        """A bill saved (A, or D after un-auditing) is submitted, then audited; one submitted (B) only audited."""
        if state in ("A", "D"):
            self.call("Submit", {"formid": form, "data": {"Numbers": [number]}})
        if state in ("A", "B", "D"):
            self.call("Audit", {"formid": form, "data": {"Numbers": [number]}})

    def _model(self, document: Document) -> dict[str, Any]:
        form, entries = DOCUMENTS[document.kind]
        today = date.today().isoformat()
        if document.kind == "journal":
            return self._voucher(document)
        head: dict[str, Any] = {"FDate": today, "FNote": tag(document.hub_ref)}
        source = document.origin
        if document.kind == "receipt":  # the purchase order is known by its id: the bill names its number
            source, supplier = self._purchase_order(str(document.origin))
            head["FSupplierId"] = {"FNumber": supplier}
        elif document.kind in ("stock_in", "stock_out"):  # 其他入库单 / 其他出库单 at the node's 仓库
            return {**head, entries: [{"FMaterialId": {"FNumber": line["item"]}, "FQty": line["quantity"],
                                       "FStockId": {"FNumber": document.origin}} for line in document.lines]}
        else:
            head["FCustomerID" if document.kind != "sale_order" else "FCustId"] = {"FNumber": document.customer}
        rows: list[dict[str, Any]] = []
        for line in document.lines:
            row: dict[str, Any] = {"FMaterialId": {"FNumber": line["item"]}}
            if document.kind == "sale_order":
                row.update(FQty=line["quantity"], FTaxPrice=to_money(line.get("unit_price")))
            else:  # an outbound, return or inbound bill names the bill it follows
                row.update(FRealQty=line["quantity"], FSrcBillNo=source)
            rows.append(row)
        return {**head, entries: rows}

    def _voucher(self, document: Document) -> dict[str, Any]:
        """A 凭证 (GL_VOUCHER) of the 记 group in the connection's account book (`settings.account_book`), dated
        the statement's last day, one entry per account, each with the hub's id as its 摘要 FEXPLANATION."""
        if not document.book:
            raise ErpFailure("validation", "name the Kingdee account book for vouchers: settings.account_book")
        currency = {"FNumber": CURRENCIES.get(document.currency or "CNY", document.currency or "PRE001")}
        return {"FAccountBookID": {"FNumber": document.book}, "FDate": document.on,
                "FVOUCHERGROUPID": {"FNumber": "PRE001"}, "FEntity": [
                    {"FEXPLANATION": tag(document.hub_ref), "FACCOUNTID": {"FNumber": line["account"]},
                     "FCURRENCYID": currency, "FAMOUNTFOR": to_money(line["debit"] or line["credit"]),
                     "FDEBIT": to_money(line["debit"]), "FCREDIT": to_money(line["credit"])}
                    for line in document.lines]}

    def _purchase_order(self, fid: str) -> tuple[str, str]:
        """A purchase order's bill number and supplier number, by its id."""
        found = self.query("PUR_PurchaseOrder", "FBillNo,FSupplierId.FNumber", f"FID = {int(fid)}", limit=1)
        if not found:
            raise ErpFailure("validation", f"no purchase order {fid} in Kingdee")
        return str(found[0]["FBillNo"]), str(found[0]["FSupplierId.FNumber"])

    def find_item(self, sku: str) -> str | None:
        found = self.query("BD_MATERIAL", "FMATERIALID,FNumber", f"FNumber = {quoted(sku)}", limit=1)
        return str(found[0]["FNumber"]) if found else None

    def ensure_customer(self, ref: str, name: str) -> str:
        number = ref.removeprefix("flexhub:").replace(":", "-")[:30]
        found = self.query("BD_Customer", "FCUSTID,FNumber", f"FNumber = {quoted(number)}", limit=1)
        if not found:
            self.call("Save", {"formid": "BD_Customer", "data": {"Model": {"FNumber": number, "FName": name}}})
        return number

    def changed(self, stream: str, cursor: str | None, limit: int) -> Page:
        """Records modified at or after the cursor's time (`FModifyDate|id`), oldest first, those at that very
        time up to the cursor's id skipped."""
        form, keys = STREAMS[stream]
        stamp, last = cursor.rsplit("|", 1) if cursor else ("", "")
        where = [f"FModifyDate >= {quoted(stamp)}"] if stamp else []
        if stream == "purchase_orders":
            where.append("FDocumentStatus = 'C'")
        identity = keys.split(",")[0]
        rows = self.query(form, keys, " AND ".join(where), order=f"FModifyDate ASC, {identity} ASC", limit=limit)
        fresh = [r for r in rows if not (stamp and r["FModifyDate"] == stamp and int(r[identity]) <= int(last))]
        records = self._records(stream, fresh)
        after = f"{rows[-1]['FModifyDate']}|{rows[-1][identity]}" if rows else None
        return Page(records, after, more=len(rows) == limit)

    def records(self, stream: str, refs: list[str]) -> list[dict[str, Any]]:
        form, keys = STREAMS[stream]
        identity = keys.split(",")[0]
        ids = ", ".join(str(int(r)) for r in refs)
        return self._records(stream, self.query(form, keys, f"{identity} IN ({ids})"))

    def _records(self, stream: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if stream == "products":
            return [{"ref": str(r["FNumber"]), "sku": r["FNumber"] or None, "name": r["FName"],
                     "barcode": r.get("FBARCODE") or None, "standard_cost": from_money(r.get("FRefCost"))}
                    for r in rows]
        if stream == "suppliers":
            return [{"ref": str(r["FNumber"]), "name": r["FName"], "code": r["FNumber"]} for r in rows]
        lines: dict[int, list[dict[str, Any]]] = {}
        if rows:
            ids = ", ".join(str(int(r["FID"])) for r in rows)
            for line in self.query("PUR_PurchaseOrder", PO_LINES, f"FID IN ({ids})"):
                lines.setdefault(int(line["FID"]), []).append(line)
        return [{"ref": str(r["FID"]), "name": r["FBillNo"], "cancelled": r.get("FCancelStatus") == "B",
                 "supplier_ref": str(r["FSupplierId.FNumber"]),
                 "supplier_name": r["FSupplierId.FName"], "currency": _currency(r.get("FSettleCurrId.FNumber")),
                 "expected_on": str(r.get("FDeliveryDate") or "")[:10],
                 "lines": [{"item": str(line["FMaterialId.FNumber"]), "quantity": int(line["FQty"]),
                            "unit_cost": from_money(line.get("FTaxPrice"))} for line in lines.get(int(r["FID"]), [])]}
                for r in rows]


def _currency(number: Any) -> str | None:
    """Kingdee's preset currencies are numbered PRE001 (CNY), PRE007 (USD)…; an ISO code is kept as it is."""
    return {"PRE001": "CNY", "PRE007": "USD"}.get(str(number), str(number) if number else None)


def _checked(answer: Any) -> Any:
    """The answer of a form operation or a bill query, or the failure its ResponseStatus says."""
    if isinstance(answer, list):  # a bill query: rows, or [[{"Result": {"ResponseStatus": …}}]] when refused
        if answer and answer[0] and isinstance(answer[0][0], dict) and "Result" in answer[0][0]:
            raise status_failure(answer[0][0]["Result"]["ResponseStatus"])
        return answer
    result = (answer or {}).get("Result") or {}
    status = result.get("ResponseStatus") or {}
    if not status.get("IsSuccess"):
        raise status_failure(status)
    return result

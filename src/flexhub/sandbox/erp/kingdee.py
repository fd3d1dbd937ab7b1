"""A sandbox Kingdee Cloud Galaxy (金蝶云星空): its WebAPI (`<service>.common.kdsvc`) over bills and base data in
memory — sign-in by app secret with a session cookie, Save, Submit, Audit and ExecuteBillQuery with their
`ResponseStatus` answers — and faults a test can ask for: a validation error, a lost session, a rate limit (HTTP
429), a timeout, and an answer lost after the bill was saved.

`KingdeeSandbox.handle` answers an httpx2 request, so `httpx2.MockTransport(sandbox.handle)` puts it behind a client.
"""

import itertools
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import httpx2

FAULTS = ("validation", "session_expired", "rate_limit", "timeout", "lost_answer")
PREFIX = "Kingdee.BOS.WebApi.ServicesStub."
# form → (the number's prefix, for bills; None: base data numbered by the caller), the base data it must name,
# its entry table
FORMS: dict[str, tuple[str | None, dict[str, str], str | None]] = {
    "BD_MATERIAL": (None, {}, None), "BD_Customer": (None, {}, None), "BD_Supplier": (None, {}, None),
    "SAL_SaleOrder": ("XSDD", {"FCustId": "BD_Customer"}, "FSaleOrderEntry"),
    "SAL_OUTSTOCK": ("XSCKD", {"FCustomerID": "BD_Customer"}, "FEntity"),
    "SAL_RETURNSTOCK": ("XSTHD", {"FCustomerID": "BD_Customer"}, "FEntity"),
    "PUR_PurchaseOrder": ("CGDD", {"FSupplierId": "BD_Supplier"}, "FPOOrderEntry"),
    "STK_InStock": ("CGRK", {"FSupplierId": "BD_Supplier"}, "FInStockEntry"),
    "BD_STOCK": (None, {}, None),
    "STK_MISCELLANEOUS": ("QTRK", {}, "FEntity"), "STK_MisDelivery": ("QTCK", {}, "FEntity"),
    "BD_Account": (None, {}, None), "BD_AccountBook": (None, {}, None),
    "GL_VOUCHER": ("JZ", {"FAccountBookID": "BD_AccountBook"}, "FEntity"),
}
IDS = {"GL_VOUCHER": "FVOUCHERID", "BD_Account": "FACCTID", "BD_AccountBook": "FBOOKID",
       "BD_MATERIAL": "FMATERIALID", "BD_Customer": "FCUSTID", "BD_Supplier": "FSupplierId", "BD_STOCK": "FStockId"}
CONDITION = re.compile(r"^\s*([\w.]+)\s*(>=|<=|!=|=|>|<|IN)\s*(.+?)\s*$", re.IGNORECASE)
COMPARE = {"=": lambda a, b: a == b, "!=": lambda a, b: a != b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
           "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, "IN": lambda a, b: a in b}


class KingdeeError(Exception):
    def __init__(self, message: str, msg_code: int = 11, field_name: str | None = None) -> None:
        super().__init__(message)
        self.message, self.msg_code, self.field_name = message, msg_code, field_name


@dataclass
class KingdeeSandbox:
    acct_id: str = "62f0a1"
    username: str = "hub"
    app_id: str = "kd-app-1"
    app_secret: str = "kd-app-secret"
    bills: dict[str, dict[int, dict[str, Any]]] = field(default_factory=dict)
    sessions: set[str] = field(default_factory=set)
    calls: list[dict[str, Any]] = field(default_factory=list)
    faults: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # fault, operation, form
    now: datetime = field(default_factory=lambda: datetime(2026, 12, 1, 8, 0, tzinfo=UTC))
    _ids: Any = field(default_factory=lambda: itertools.count(100001))
    _numbers: Any = field(default_factory=lambda: itertools.count(1))

    def fail_next(self, *faults: str, operation: str | None = None, form: str | None = None) -> None:
        """The next calls (of `operation` on `form`, when named) answer these faults, one call each."""
        unknown = [f for f in faults if f not in FAULTS]
        if unknown:
            raise ValueError(f"no such fault {unknown}")
        self.faults.extend((fault, operation, form) for fault in faults)

    def add(self, form: str, model: dict[str, Any], *, status: str = "C") -> int:
        return self._save(form, model, status=status)[0]

    def change(self, form: str, fid: int, values: dict[str, Any]) -> None:
        self.bills[form][fid].update(values, FModifyDate=self._stamp())

    def records(self, form: str) -> list[dict[str, Any]]:
        return [dict(b) for _, b in sorted(self.bills.get(form, {}).items())]

    def tick(self, seconds: int = 1) -> None:
        self.now += timedelta(seconds=seconds)

    def handle(self, request: httpx2.Request) -> httpx2.Response:
        name = request.url.path.rsplit("/", 1)[-1]
        if not (name.startswith(PREFIX) and name.endswith(".common.kdsvc")):
            return httpx2.Response(404, text="Not Found")
        operation = name[len(PREFIX):-len(".common.kdsvc")].rsplit(".", 1)[-1]
        body = json.loads(request.content or b"{}")
        data = body.get("data") if isinstance(body.get("data"), dict) else {}
        self.calls.append({"operation": operation, "form": body.get("formid") or data.get("FormId")})
        if operation == "LoginByAppSecret":
            return self._login(body)
        fault = self._fault_for(operation, body.get("formid") or data.get("FormId"))
        if fault == "timeout":
            raise httpx2.ReadTimeout("sandbox Kingdee took too long", request=request)
        if fault == "rate_limit":
            return httpx2.Response(429, headers={"Retry-After": "1"}, text="Too Many Requests")
        if fault == "session_expired":
            self.sessions.clear()
        query = operation == "ExecuteBillQuery"
        try:
            if _session_of(request) not in self.sessions:
                raise KingdeeError("会话信息已丢失，请重新登录", msg_code=1)
            if fault == "validation":
                raise KingdeeError("沙箱拒绝了该单据", field_name="FNote")
            answer = self._dispatch(operation, body)
        except KingdeeError as refused:
            status = {"ErrorCode": 500, "IsSuccess": False, "Errors": [
                {"FieldName": refused.field_name, "Message": refused.message, "DIndex": 0}],
                "SuccessEntitys": [], "SuccessMessages": [], "MsgCode": refused.msg_code}
            return httpx2.Response(200, json=[[{"Result": {"ResponseStatus": status}}]] if query else {
                "Result": {"ResponseStatus": status, "Id": "", "Number": None, "NeedReturnData": [{}]}})
        if fault == "lost_answer":
            raise httpx2.ReadTimeout("the answer was lost after Kingdee saved the bill", request=request)
        return httpx2.Response(200, json=answer)

    def _fault_for(self, operation: str, form: str | None) -> str | None:
        for i, (fault, on, on_form) in enumerate(self.faults):
            if on in (None, operation) and on_form in (None, form):
                del self.faults[i]
                return fault
        return None

    def _login(self, body: dict[str, Any]) -> httpx2.Response:
        if (body.get("acctid"), body.get("username"), body.get("appid"), body.get("appsecret")) != \
                (self.acct_id, self.username, self.app_id, self.app_secret):
            return httpx2.Response(200, json={"Message": "第三方系统登录授权验证失败", "MessageCode": None,
                                              "LoginResultType": 0, "KDSVCSessionId": None, "Context": None})
        sid = f"sid-{next(self._numbers)}"
        self.sessions.add(sid)
        return httpx2.Response(200, headers={"Set-Cookie": f"kdservice-sessionid={sid}; path=/"}, json={
            "Message": None, "MessageCode": "CheckPasswordPolicy", "LoginResultType": 1, "KDSVCSessionId": sid,
            "Context": {"UserName": self.username, "LCID": body.get("lcid"), "DBid": self.acct_id}})

    def _dispatch(self, operation: str, body: dict[str, Any]) -> Any:
        if operation == "ExecuteBillQuery":
            return self._query(body.get("data") or {})
        form, data = body.get("formid"), body.get("data") or {}
        if form not in FORMS:
            raise KingdeeError(f"业务对象{form}不存在")
        if operation == "Save":
            fid, number = self._save(form, data.get("Model") or {}, status="A")
            return {"Result": {"ResponseStatus": _success(fid, number), "Id": fid, "Number": number,
                               "NeedReturnData": [{}]}}
        if operation in ("Submit", "Audit"):
            wanted, to = ("A", "B") if operation == "Submit" else ("B", "C")
            for number in data.get("Numbers") or []:
                fid, bill = self._bill(form, number)
                if bill["FDocumentStatus"] not in (wanted, "D" if operation == "Submit" else wanted):
                    raise KingdeeError(f"单据{number}的状态不允许{operation}")
                bill.update(FDocumentStatus=to, FModifyDate=self._stamp())
            return {"Result": {"ResponseStatus": _success(fid, number)}}
        raise KingdeeError(f"不支持的操作{operation}")

    def _bill(self, form: str, number: str) -> tuple[int, dict[str, Any]]:
        for fid, bill in self.bills.get(form, {}).items():
            if number in (bill.get("FBillNo"), bill.get("FNumber")):
                return fid, bill
        raise KingdeeError(f"单据{number}不存在")

    def _save(self, form: str, model: dict[str, Any], *, status: str) -> tuple[int, str]:
        prefix, links, entries = FORMS[form]
        for column, target in links.items():
            number = (model.get(column) or {}).get("FNumber")
            if not number:
                raise KingdeeError(f"字段“{column}”是必填项", field_name=column)
            if not any(b.get("FNumber") == number for b in self.bills.get(target, {}).values()):
                raise KingdeeError(f"{column}：编码为{number}的资料不存在", field_name=column)
        if entries is not None:
            rows = model.get(entries) or []
            if not rows:
                raise KingdeeError(f"单据体“{entries}”至少要有一行", field_name=entries)
            if form == "GL_VOUCHER":
                self._balanced(rows)
            for row in rows:
                for column, target in (("FMaterialId", "BD_MATERIAL"), ("FStockId", "BD_STOCK"),
                                       ("FACCOUNTID", "BD_Account")):
                    number = (row.get(column) or {}).get("FNumber")
                    needed = column == ("FACCOUNTID" if form == "GL_VOUCHER" else "FMaterialId")
                    if (needed or number) and not any(
                            b.get("FNumber") == number for b in self.bills.get(target, {}).values()):
                        raise KingdeeError(f"{column}：编码为{number}的资料不存在", field_name=column)
        elif not model.get("FNumber"):
            raise KingdeeError("字段“编码”是必填项", field_name="FNumber")
        fid = next(self._ids)
        number = model.get("FNumber") if prefix is None else f"{prefix}{next(self._numbers):06d}"
        stamp = self._stamp()
        bill = {**model, "FID": fid, IDS.get(form, "FID"): fid, "FDocumentStatus": status, "FCreateDate": stamp,
                "FModifyDate": stamp}
        bill["FNumber" if prefix is None else "FBillNo"] = number
        self.bills.setdefault(form, {})[fid] = bill
        return fid, str(number)

    def _balanced(self, rows: list[dict[str, Any]]) -> None:
        difference = round(sum(float(r.get("FDEBIT") or 0) - float(r.get("FCREDIT") or 0) for r in rows), 2)
        if difference:
            raise KingdeeError(f"借贷不平衡，差额为{difference}", field_name="FEntity")

    def _query(self, data: dict[str, Any]) -> list[list[Any]]:
        form, keys = data.get("FormId"), str(data.get("FieldKeys") or "").split(",")
        if form not in FORMS:
            raise KingdeeError(f"业务对象{form}不存在")
        rows = self._rows(form, keys)
        for condition in filter(None, re.split(r"\s+AND\s+", str(data.get("FilterString") or ""),
                                               flags=re.IGNORECASE)):
            rows = [r for r in rows if self._holds(r, condition)]
        for part in reversed([p.strip() for p in str(data.get("OrderString") or "").split(",") if p.strip()]):
            column, _, direction = part.partition(" ")
            rows.sort(key=partial(_field_text, column=column), reverse=direction.upper() == "DESC")
        start, limit = int(data.get("StartRow") or 0), int(data.get("Limit") or 0)
        rows = rows[start:start + limit] if limit else rows[start:]
        return [[r["_all"].get(k) for k in keys] for r in rows]

    def _rows(self, form: str, keys: list[str]) -> list[dict[str, Any]]:
        """One row per bill, or per entry line when an entry field is asked for, every field key resolved."""
        _, _, entries = FORMS[form]
        rows = []
        for bill in self.bills.get(form, {}).values():
            by_line = form == "GL_VOUCHER" or any(k in ("FQty", "FTaxPrice", "FMaterialId.FNumber") for k in keys)
            lines = bill.get(entries) if entries and by_line else [{}]
            for line in lines or [{}]:
                rows.append({"_all": {**self._resolved(form, bill), **self._resolved(form, line)}})
        return rows

    def _resolved(self, form: str, values: dict[str, Any]) -> dict[str, Any]:
        flat: dict[str, Any] = {}
        for key, value in values.items():
            if isinstance(value, dict) and "FNumber" in value:
                flat[f"{key}.FNumber"] = value["FNumber"]
                target = FORMS[form][1].get(key) or ("BD_MATERIAL" if key == "FMaterialId" else None)
                named = next((b for b in self.bills.get(target or "", {}).values()
                              if b.get("FNumber") == value["FNumber"]), {})
                flat[f"{key}.FName"] = named.get("FName")
            elif not isinstance(value, list):
                flat[key] = value
        return flat

    def _holds(self, row: dict[str, Any], condition: str) -> bool:
        found = CONDITION.match(condition)
        if not found:
            raise KingdeeError(f"过滤条件无法解析：{condition}")
        column, operator, raw = found.groups()
        operator = operator.upper()
        value: Any = [_literal(v) for v in raw.strip("()").split(",")] if operator == "IN" else _literal(raw)
        stored = row["_all"].get(column)
        return stored is not None and COMPARE[operator](stored, value)

    def _stamp(self) -> str:
        return self.now.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]


def _session_of(request: httpx2.Request) -> str | None:
    for part in request.headers.get("cookie", "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == "kdservice-sessionid":
            return value
    return None


def _literal(text: str) -> Any:
    text = text.strip()
    if text.startswith("'") and text.endswith("'"):
        return text[1:-1].replace("''", "'")
    return int(text) if text.lstrip("-").isdigit() else text


def _success(fid: int, number: str) -> dict[str, Any]:
    return {"IsSuccess": True, "Errors": [], "SuccessEntitys": [{"Id": fid, "Number": number, "DIndex": 0}],
            "SuccessMessages": [], "MsgCode": 0}


def _field_text(row: dict[str, Any], column: str) -> str:
    """A row's field as text, for ordering by it (an absent one first)."""
    return str(row["_all"].get(column) or "")

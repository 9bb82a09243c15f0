"""Turns a decision as pages and the API submit it (codes and plain values) into a Plan.

Both front doors call `build_plan`, so a code that is unknown or out of scope gets the same field-level message.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dangvu.core import audit
from dangvu.core.errors import DomainError, NotFound

from . import services as svc
from .models import EventKind, OrgType
from .selectors import by_name, code_of, org_get

ERR_REQUIRED = "Trường này là bắt buộc."
ERR_TYPE_UNKNOWN = "Không có loại tổ chức «{code}»."


def org_field(by, code: str | None, field: str, *, required: bool = True):
    """An organisation named in a submitted form or body: as the picker sends it ("Name (CODE)"), by its code, or
    by its full name when exactly one open organisation in scope bears it. Unknown or out of scope is a field
    error."""
    text = (code or "").strip()
    code = code_of(code)
    if not code:
        if required:
            raise DomainError(ERR_REQUIRED, field=field)
        return None
    try:
        return org_get(by, code)
    except NotFound:
        named = by_name(by, text)
        if named is not None:
            return named
        # Unknown, or another organisation's code: the attempt is logged (the entry commits on its own).
        audit.record(
            by=by,
            action="access.denied",
            object_type="organizations.organisation",
            object_id=code.strip().upper()[:64],
            after={"field": field},
        )
        raise DomainError(svc.ERR_ORG_UNKNOWN.format(code=code.strip().upper()), field=field) from None


def _type(code: str | None, field: str) -> OrgType:
    if not code:
        raise DomainError(ERR_REQUIRED, field=field)
    t = OrgType.objects.filter(code=code).first()
    if t is None:
        raise DomainError(ERR_TYPE_UNKNOWN.format(code=code), field=field)
    return t


def _required(data: dict, field: str) -> Any:
    value = data.get(field)
    if value in (None, "", []):
        raise DomainError(ERR_REQUIRED, field=field)
    return value


def build_plan(by, data: dict) -> svc.Plan:
    """The plan for a submitted decision, refused early (on the form, before the confirmation page) when one of the
    organisations it changes already has a decision waiting for its date."""
    plan = _build(by, data)
    svc.check_not_pending(plan.subjects)
    return plan


def _build(by, data: dict) -> svc.Plan:
    kind = data.get("kind")
    effective_on = data.get("effective_on")
    if isinstance(effective_on, str):
        try:
            effective_on = dt.date.fromisoformat(effective_on)
        except ValueError:
            raise DomainError(
                "Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy.", field="effective_on"
            ) from None
    if not effective_on:
        raise DomainError(ERR_REQUIRED, field="effective_on")
    decision = svc.Decision(
        number=_required(data, "decision_number"),
        effective_on=effective_on,
        issuer=data.get("issuer") or "",
        note=data.get("note") or "",
    )
    if kind == EventKind.ESTABLISH:
        spec = svc.NewOrg(
            code=_required(data, "code"),
            name=data.get("name") or "",
            type=_type(data.get("type"), "type"),
            parent=org_field(by, data.get("parent"), "parent", required=False),
        )
        if spec.parent is None and not by.is_superuser:
            raise DomainError(ERR_REQUIRED, field="parent")
        return svc.plan_establish(by=by, spec=spec, decision=decision)
    if kind == EventKind.RENAME:
        return svc.plan_rename(
            by=by,
            org=org_field(by, data.get("org"), "org"),
            new_name=data.get("name") or "",
            decision=decision,
        )
    if kind == EventKind.MOVE:
        return svc.plan_move(
            by=by,
            org=org_field(by, data.get("org"), "org"),
            new_parent=org_field(by, data.get("new_parent"), "new_parent"),
            decision=decision,
        )
    if kind == EventKind.MERGE:
        sources = [org_field(by, c, "sources") for c in data.get("sources") or [] if c]
        target = org_field(by, data.get("target"), "target", required=False)
        new_target = None
        if target is None and data.get("new_target"):
            nt = data["new_target"]
            new_target = svc.NewOrg(
                code=nt.get("code") or "",
                name=nt.get("name") or "",
                type=_type(nt.get("type"), "target_type"),
                parent=org_field(by, nt.get("parent"), "target_parent", required=False),
            )
        return svc.plan_merge(by=by, sources=sources, target=target, new_target=new_target, decision=decision)
    if kind == EventKind.SPLIT:
        source = org_field(by, data.get("source"), "source")
        targets: list = []
        for i, t in enumerate(data.get("targets") or []):
            if t.get("existing"):
                targets.append(org_field(by, t["existing"], f"targets.{i}"))
            else:
                targets.append(
                    svc.NewOrg(
                        code=t.get("code") or "",
                        name=t.get("name") or "",
                        type=_type(t.get("type"), f"targets.{i}.type"),
                        parent=org_field(by, t.get("parent"), f"targets.{i}.parent", required=False),
                    )
                )
        children = {c.code: c.pk for c in source.children.all()}
        assignment = {}
        for child_code, idx in (data.get("assignment") or {}).items():
            pk = children.get(child_code.strip().upper())
            if pk is None:
                raise DomainError(svc.ERR_ORG_UNKNOWN.format(code=child_code), field=f"assign.{child_code}")
            assignment[pk] = int(idx)
        held: dict[str, dict[int, int]] = {}
        for field, chosen in (data.get("held_assignment") or {}).items():
            try:
                held[field] = {int(k): int(v) for k, v in (chosen or {}).items()}
            except (TypeError, ValueError):
                raise DomainError("Phân công không hợp lệ.", field=f"assign.{field}") from None
        return svc.plan_split(
            by=by,
            source=source,
            targets=targets,
            assignment=assignment,
            decision=decision,
            held_assignment=held,
        )
    if kind == EventKind.DISSOLVE:
        return svc.plan_dissolve(
            by=by,
            org=org_field(by, data.get("org"), "org"),
            transfer_to=org_field(by, data.get("transfer_to"), "transfer_to", required=False),
            decision=decision,
        )
    raise DomainError("Loại quyết định không hợp lệ.", field="kind")

"""Forms for the decision pages. They only parse; every rule is checked by the services (via build_plan)."""

from __future__ import annotations

from django import forms

from .models import EventKind, OrgType

DATE_HELP = "dd/mm/yyyy"
SPLIT_SLOTS = 4


def code_field(label: str, required: bool = True, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=300,  # what the picker sends: the name and the code
        help_text=help_text,
        widget=forms.TextInput(
            attrs={
                "list": "org-suggestions",
                "autocomplete": "off",
                "class": "org-code",
                "placeholder": "gõ tên để tìm (không cần dấu), rồi chọn",
            }
        ),
    )


def _type_choices():
    qs = OrgType.objects.all()
    return [("", "— chọn loại —")] + [(t.code, t.name) for t in qs]


class DecisionForm(forms.Form):
    kind: str = ""
    title: str = ""

    decision_number = forms.CharField(
        label="Số quyết định", max_length=64, widget=forms.TextInput(attrs={"placeholder": "Số 123-QĐ/TU"})
    )
    effective_on = forms.DateField(
        label="Ngày hiệu lực",
        help_text=DATE_HELP,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": DATE_HELP}),
    )
    issuer = forms.CharField(
        label="Cơ quan ban hành",
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Ban Thường vụ Tỉnh ủy …"}),
    )
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.style()

    def style(self) -> None:
        for f in self.fields.values():
            css = "form-select" if isinstance(f.widget, forms.Select) else "form-control"
            f.widget.attrs.setdefault("class", css)

    def to_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["kind"] = self.kind
        return data

    @staticmethod
    def field_for(error_key: str) -> str:
        """Service error keys → form field names."""
        if error_key.startswith("targets."):
            _, idx, *rest = error_key.split(".")
            return f"target_{int(idx) + 1}_{rest[0] if rest else 'code'}"
        if error_key.startswith("assign."):
            return "assign_" + error_key.split(".", 1)[1].replace(".", "_")
        return error_key


class EstablishForm(DecisionForm):
    kind, title = EventKind.ESTABLISH, "Thành lập tổ chức đảng"
    parent = code_field("Trực thuộc (tổ chức cấp trên)")
    type = forms.ChoiceField(label="Loại tổ chức")
    code = forms.CharField(label="Mã tổ chức mới", max_length=32)
    name = forms.CharField(label="Tên tổ chức mới", max_length=255)
    field_order = ["parent", "type", "code", "name"]

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.fields["type"].choices = _type_choices()
        self.style()


class RenameForm(DecisionForm):
    kind, title = EventKind.RENAME, "Đổi tên tổ chức đảng"
    org = code_field("Tổ chức")
    name = forms.CharField(label="Tên mới", max_length=255)
    field_order = ["org", "name"]


class MoveForm(DecisionForm):
    kind, title = EventKind.MOVE, "Điều chuyển trực thuộc"
    org = code_field("Tổ chức chuyển đi (kèm toàn bộ tổ chức trực thuộc)")
    new_parent = code_field("Chuyển về trực thuộc")
    field_order = ["org", "new_parent"]


class MergeForm(DecisionForm):
    kind, title = EventKind.MERGE, "Hợp nhất, sáp nhập tổ chức đảng"
    sources = forms.CharField(
        label="Các tổ chức nguồn",
        help_text="mỗi dòng một tổ chức: tên đầy đủ (không cần dấu) hoặc mã",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    target = code_field("Tổ chức đích có sẵn", required=False, help_text="để trống nếu lập tổ chức mới")
    target_code = forms.CharField(label="Mã tổ chức đích mới", max_length=32, required=False)
    target_name = forms.CharField(label="Tên tổ chức đích mới", max_length=255, required=False)
    target_type = forms.ChoiceField(label="Loại tổ chức đích mới", required=False)
    target_parent = code_field(
        "Tổ chức đích mới trực thuộc",
        required=False,
        help_text="để trống: cùng cấp trên với tổ chức nguồn đầu tiên",
    )
    field_order = ["sources", "target", "target_code", "target_name", "target_type", "target_parent"]

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.fields["target_type"].choices = _type_choices()
        self.style()

    def to_data(self) -> dict:
        data = super().to_data()
        raw = data.pop("sources") or ""
        data["sources"] = [c.strip() for c in raw.replace(",", "\n").splitlines() if c.strip()]
        new = {k: data.pop(f"target_{k}") for k in ("code", "name", "type", "parent")}
        data["new_target"] = new if not data.get("target") and any(new.values()) else None
        return data


class DissolveForm(DecisionForm):
    kind, title = EventKind.DISSOLVE, "Giải thể tổ chức đảng"
    org = code_field("Tổ chức giải thể")
    transfer_to = code_field(
        "Chuyển các tổ chức trực thuộc về",
        required=False,
        help_text="bắt buộc nếu còn tổ chức trực thuộc đang hoạt động",
    )
    field_order = ["org", "transfer_to"]


class SplitForm(DecisionForm):
    """Split one organisation: up to SPLIT_SLOTS targets, and one assignment per open sub-organisation."""

    kind, title = EventKind.SPLIT, "Chia tách tổ chức đảng"
    source = code_field("Tổ chức chia tách")
    field_order = ["source"]

    def __init__(self, *a, children=(), held=(), **kw):
        super().__init__(*a, **kw)
        types = _type_choices()
        for i in range(1, SPLIT_SLOTS + 1):
            self.fields[f"target_{i}_existing"] = code_field(f"Đích {i}: tổ chức có sẵn", required=False)
            self.fields[f"target_{i}_code"] = forms.CharField(
                label=f"Đích {i}: mã mới", max_length=32, required=False
            )
            self.fields[f"target_{i}_name"] = forms.CharField(
                label=f"Đích {i}: tên mới", max_length=255, required=False
            )
            self.fields[f"target_{i}_type"] = forms.ChoiceField(
                label=f"Đích {i}: loại", choices=types, required=False
            )
        slots = [("", "— chọn —")] + [(i, self.slot_label(i)) for i in range(1, SPLIT_SLOTS + 1)]
        self.children = list(children)
        for child in self.children:
            self.fields[f"assign_{child.code}"] = forms.TypedChoiceField(
                label=f"{child.name} chuyển về", coerce=int, choices=slots, required=False, empty_value=None
            )
        # What the source holds (members, …), each assigned to a target too.
        self.held = list(held)
        for field, key, label in self.held:
            self.fields[f"assign_{field}_{key}"] = forms.TypedChoiceField(
                label=f"{label} chuyển về", coerce=int, choices=slots, required=False, empty_value=None
            )
        if self.children or self.held:
            self.fields["assign_rest"] = forms.TypedChoiceField(
                label="Tất cả các mục chưa chọn chuyển về", coerce=int, choices=slots, required=False,
                empty_value=None,
            )  # fmt: skip
        self.style()

    def slot_label(self, i: int) -> str:
        """A target named as the user named it (the new name, or the picked organisation), not just "Đích i"."""
        data = self.data if self.is_bound else {}
        name = (data.get(f"target_{i}_name") or "").strip()
        existing = (data.get(f"target_{i}_existing") or "").strip()
        if not name and existing:
            name = existing.rsplit(" (", 1)[0]
        return f"Đích {i}: {name}" if name else f"Đích {i}"

    def to_data(self) -> dict:
        data = super().to_data()
        targets, slot_to_index = [], {}
        for i in range(1, SPLIT_SLOTS + 1):
            t = {k: data.pop(f"target_{i}_{k}") for k in ("existing", "code", "name", "type")}
            if any(t.values()):
                slot_to_index[i] = len(targets)
                targets.append(t)
        data["targets"] = targets
        rest = data.pop("assign_rest", None)
        assignment = {}
        for child in self.children:
            slot = data.pop(f"assign_{child.code}") or rest
            assignment[child.code] = slot_to_index.get(slot, -1)
        data["assignment"] = assignment
        held: dict[str, dict[int, int]] = {}
        for field, key, _ in self.held:
            slot = data.pop(f"assign_{field}_{key}") or rest
            held.setdefault(field, {})[key] = slot_to_index.get(slot, -1)
        data["held_assignment"] = held
        return data


FORMS = {f.kind: f for f in (EstablishForm, RenameForm, MoveForm, MergeForm, SplitForm, DissolveForm)}


class CancelForm(forms.Form):
    """Cancelling a decision before its date: the reason (required) and the revoking decision's number."""

    reason = forms.CharField(label="Lý do hủy", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    number = forms.CharField(label="Số quyết định hủy (nếu có)", max_length=64, required=False,
                             widget=forms.TextInput(attrs={"placeholder": "Số 130-QĐ/TU"}))  # fmt: skip

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        for f in self.fields.values():
            f.widget.attrs.setdefault("class", "form-control")

from django import forms

from dangvu.core.forms import StyledForm, date_field
from dangvu.members.models import Qualification, Sex

from .models import Proposer, UnitKind


def _choices(model_choices, empty="—"):
    return [("", empty), *model_choices]


class CaseForm(StyledForm):
    """The person and the sympathiser's particulars. Every rule is the service's (one message per field)."""

    full_name = forms.CharField(label="Họ và tên", max_length=120)
    birth_name = forms.CharField(label="Họ tên khai sinh / tên gọi khác", max_length=120, required=False)
    sex = forms.ChoiceField(label="Giới tính", choices=_choices(Sex.choices, "— chọn —"))
    birth_date = date_field("Ngày sinh")
    ethnicity = forms.CharField(label="Dân tộc", max_length=40, required=False, initial="Kinh")
    religion = forms.CharField(label="Tôn giáo", max_length=60, required=False, initial="Không")
    home_town = forms.CharField(label="Quê quán", max_length=255, required=False)
    birth_place = forms.CharField(label="Nơi sinh", max_length=255, required=False)
    residence = forms.CharField(label="Nơi ở hiện nay", max_length=255, required=False)
    citizen_id = forms.CharField(label="Số CCCD", max_length=20, required=False)
    phone = forms.CharField(label="Điện thoại", max_length=20, required=False)
    general_education = forms.CharField(label="Giáo dục phổ thông", max_length=10, required=False,
                                        help_text="vd: 9/12, 12/12")  # fmt: skip
    qualification = forms.ChoiceField(label="Trình độ chuyên môn", choices=_choices(Qualification.choices),
                                      required=False)  # fmt: skip
    specialty = forms.CharField(label="Chuyên ngành", max_length=120, required=False)
    occupation = forms.CharField(label="Nghề nghiệp hiện nay", max_length=120, required=False)
    proposed_by = forms.ChoiceField(label="Đoàn thể, tổ chức giới thiệu", choices=_choices(Proposer.choices, "— chọn —"))
    proposed_on = date_field("Ngày đưa vào danh sách quần chúng ưu tú")
    course_on = date_field("Ngày cấp giấy chứng nhận học lớp nhận thức về Đảng", required=False)
    course_number = forms.CharField(label="Số giấy chứng nhận", max_length=40, required=False)
    course_issuer = forms.CharField(label="Nơi cấp", max_length=160, required=False)
    area_exception = forms.BooleanField(
        label="Thuộc diện ngoại lệ về học vấn (vùng cao, biên giới, hải đảo, đồng bào dân tộc thiểu số)",
        required=False)  # fmt: skip
    over60_consent = forms.CharField(label="Văn bản đồng ý của ban thường vụ tỉnh ủy (người trên 60 tuổi)",
                                     max_length=60, required=False)  # fmt: skip
    over60_consent_on = date_field("Ngày văn bản đồng ý", required=False)

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.fields["area_exception"].widget.attrs["class"] = "form-check-input"


class IntroducerForm(StyledForm):
    member = forms.ChoiceField(label="Đảng viên chính thức giới thiệu", choices=[])
    since = date_field("Cùng công tác, học tập hoặc cư trú từ ngày")
    assigned_on = date_field("Ngày phân công", required=False, help_text="dd/mm/yyyy; để trống: hôm nay")

    def __init__(self, *a, members=(), **kw):
        kw.setdefault("auto_id", "intro_%s")  # several forms on the case page: ids of their own
        super().__init__(*a, **kw)
        self.fields["member"].choices = [("", "— chọn —")] + [(m.pk, m.full_name) for m in members]


class StepForm(StyledForm):
    done_on = date_field("Ngày")
    number = forms.CharField(label="Số, ký hiệu", max_length=40, required=False)
    signer = forms.CharField(label="Người ký", max_length=120, required=False)
    received_on = date_field("Ngày chi bộ nhận quyết định", required=False, help_text="dd/mm/yyyy; để trống: ngày ký")
    vote = forms.ChoiceField(label="Biểu quyết của chi bộ", choices=[], required=False)
    votes_for = forms.IntegerField(label="Số ủy viên tán thành", min_value=0, max_value=1000, required=False)
    votes_base = forms.IntegerField(label="Tổng số ủy viên", min_value=1, max_value=1000, required=False)
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *a, kind: str = "", votes=(), **kw):
        super().__init__(*a, **kw)
        self.fields["vote"].choices = [("", "— chọn —")] + [
            (v.pk, f"{v.meeting.date:%d/%m/%Y}: {v.subject} ({v.votes_for}/{v.base})") for v in votes]  # fmt: skip
        keep = {"done_on", "note"}
        if kind in ("cell_resolution", "recognition_resolution"):
            keep |= {"vote", "number"}
            self.fields["vote"].required = True
        elif kind == "grassroots_resolution":
            keep |= {"number", "signer", "votes_for", "votes_base"}
        elif kind in ("decision", "recognition_decision"):
            keep |= {"number", "signer"} | ({"received_on"} if kind == "decision" else set())
            self.fields["number"].help_text = "vd: 45-QĐ/ĐU"
        else:
            keep |= {"number", "signer"}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]


class EndForm(StyledForm):
    on = date_field("Ngày", required=False, help_text="dd/mm/yyyy; để trống: hôm nay")
    reason = forms.CharField(label="Lý do", max_length=500)
    number = forms.CharField(label="Số quyết định (khi không công nhận)", max_length=40, required=False)

    def __init__(self, *a, **kw):
        kw.setdefault("auto_id", "end_%s")
        super().__init__(*a, **kw)


class FileForm(StyledForm):
    title = forms.CharField(label="Tên giấy tờ", max_length=255, required=False)
    file = forms.FileField(label="Tệp (PDF, Word, ảnh chụp)")

    def __init__(self, *a, **kw):
        kw.setdefault("auto_id", "file_%s")
        super().__init__(*a, **kw)


class UnitForm(StyledForm):
    name = forms.CharField(label="Tên thôn, bản, tổ dân phố", max_length=120)
    kind = forms.ChoiceField(label="Loại", choices=UnitKind.choices)
    valid_from = date_field("Từ ngày")
    decision = forms.CharField(label="Căn cứ", max_length=120, required=False)

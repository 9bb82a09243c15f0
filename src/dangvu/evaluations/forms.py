from django import forms

from dangvu.core.forms import StyledForm, date_field

from .models import Level

LEVEL_CHOICES = [("", "— chọn mức —"), *Level.choices]
SCORE_HELP = "Thang 100 điểm, một chữ số thập phân (vd: 89,5). Để trống với khung đánh giá không chấm điểm."


class RegistrationForm(StyledForm):
    target_level = forms.ChoiceField(label="Mức phấn đấu", choices=LEVEL_CHOICES)
    goals = forms.CharField(label="Chỉ tiêu, nhiệm vụ đăng ký", widget=forms.Textarea(attrs={"rows": 5}),
                            help_text="Mỗi dòng một chỉ tiêu.")  # fmt: skip
    admissions_target = forms.IntegerField(label="Chỉ tiêu kết nạp đảng viên mới (người)", min_value=0,
                                           max_value=1000, required=False)  # fmt: skip
    registered_on = date_field("Ngày đăng ký", required=False)


class CommitmentForm(StyledForm):
    target_level = forms.ChoiceField(label="Mức phấn đấu", choices=LEVEL_CHOICES)
    content = forms.CharField(label="Nội dung cam kết tu dưỡng, rèn luyện, phấn đấu",
                              widget=forms.Textarea(attrs={"rows": 6}))  # fmt: skip
    submitted_on = date_field("Ngày nộp", required=False)


class SelfForm(StyledForm):
    form = forms.ChoiceField(label="Mẫu kiểm điểm", choices=[])
    tasks_total = forms.IntegerField(label="Số nhiệm vụ được giao", min_value=0, required=False)
    tasks_exceeded = forms.IntegerField(label="Số nhiệm vụ vượt yêu cầu", min_value=0, required=False,
                                        help_text="Mức HTXSNV cần ít nhất 30% nhiệm vụ vượt yêu cầu (QĐ 366).")  # fmt: skip
    strengths = forms.CharField(label="Ưu điểm, kết quả đạt được", required=False,
                                widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip
    shortcomings = forms.CharField(label="Hạn chế, khuyết điểm và nguyên nhân", required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    remedies = forms.CharField(label="Phương hướng, biện pháp khắc phục", required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    self_score = forms.CharField(label="Điểm tự chấm", required=False, help_text=SCORE_HELP)
    self_level = forms.ChoiceField(label="Tự nhận mức xếp loại", choices=LEVEL_CHOICES, required=False)

    def __init__(self, *a, form_choices=(), **kw):
        super().__init__(*a, **kw)
        self.fields["form"].choices = list(form_choices)


class AssessForm(StyledForm):
    cell_score = forms.CharField(label="Điểm chi bộ (tập thể) chấm", required=False, help_text=SCORE_HELP)
    cell_level = forms.ChoiceField(label="Mức đề xuất", choices=LEVEL_CHOICES)
    cell_comment = forms.CharField(label="Nhận xét, đánh giá", required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    votes_for = forms.IntegerField(label="Số phiếu tán thành mức đề xuất", min_value=0)
    votes_base = forms.IntegerField(label="Số đảng viên biểu quyết", min_value=1)
    reviewed_on = date_field("Ngày kiểm điểm", required=False)


class DecideForm(StyledForm):
    level = forms.ChoiceField(label="Mức xếp loại", choices=LEVEL_CHOICES)
    score = forms.CharField(label="Điểm", required=False, help_text="Để trống: lấy điểm chi bộ chấm.")
    number = forms.CharField(label="Số quyết định", max_length=40, help_text="vd: 125-QĐ/ĐU")
    decided_on = date_field("Ngày quyết định", required=False)
    reason = forms.CharField(
        label="Lý do (khi thay đổi kết quả đã quyết định)", required=False, max_length=500
    )


class ReturnForm(StyledForm):
    reason = forms.CharField(label="Lý do trả lại", max_length=500)


class BatchForm(StyledForm):
    number = forms.CharField(label="Số quyết định", max_length=40, help_text="vd: 125-QĐ/ĐU")
    decided_on = date_field("Ngày quyết định", required=False)

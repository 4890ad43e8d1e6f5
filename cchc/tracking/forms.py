from django import forms

from cchc.core.uploads import ACCEPT_ATTR
from cchc.core.widgets import VietnameseDateField


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several evidence files in one field; type and size are checked by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTR}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ProgressForm(forms.Form):
    percent = forms.IntegerField(
        label="Tỷ lệ hoàn thành (%)", min_value=0, max_value=100, widget=forms.NumberInput(attrs={"step": 5})
    )
    reported_on = VietnameseDateField(label="Ngày báo cáo")
    narrative = forms.CharField(
        label="Kết quả thực hiện",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Nêu việc đã làm, văn bản đã ban hành, số liệu đạt được.",
    )
    files = MultipleFileField(
        label="Tài liệu kiểm chứng",
        required=False,
        help_text="PDF, DOCX, XLSX, ODT, ODS, DOC, XLS, JPG, PNG hoặc ZIP; tối đa 20 MB mỗi tệp.",
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Quyết định",
        choices=[("chap_nhan", "Chấp nhận"), ("tra_lai", "Trả lại để bổ sung")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Ý kiến",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Bắt buộc khi trả lại: nêu rõ cần bổ sung, hoàn thiện gì.",
    )


class ReviewPolicyForm(forms.Form):
    acceptance_required = forms.BooleanField(
        label="Nhiệm vụ chỉ được tính hoàn thành khi cơ quan ban hành chấp nhận báo cáo 100%",
        required=False,
    )

"""Forms of the import review: the file, the plan's metadata, and one row per target and task
found — each editable, each can be left out."""

from django import forms

from cchc.core.widgets import VietnameseDateField
from cchc.orgs.models import Unit

from .models import Comparator, Plan, PlanKind, ReformArea

AREA_CHOICES = [("", "— chưa rõ —"), *ReformArea.choices]
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# Plain text is all words: 2 MB is some ten times the longest plan of samples/ and parses in a few
# seconds (bench/parsers_linear.py: about 6 s a MB on a loaded 2-core machine, linear); a 20 MB
# text would hold the request for minutes. DOCX and PDF carry their own limits (unpacked size,
# paragraphs, pages) checked before parsing.
MAX_TEXT_UPLOAD_BYTES = 2 * 1024 * 1024
TEXT_SUFFIXES = (".txt", ".md")


def _mb(size: int) -> str:
    return f"{size / 1048576:.1f}".replace(".", ",")


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Văn bản kế hoạch",
        help_text="DOCX, PDF (có lớp chữ) tối đa 20 MB; TXT hoặc MD tối đa 2 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf,.txt,.md"}),
    )
    issuer = forms.ModelChoiceField(label="Cơ quan ban hành", queryset=Unit.objects.none())
    parent = forms.ModelChoiceField(
        label="Thực hiện kế hoạch cấp trên", queryset=Plan.objects.none(), required=False
    )

    def __init__(self, *args, issuers=None, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = issuers if issuers is not None else Unit.objects.none()
        self.fields["issuer"].label_from_instance = lambda u: u.body_name
        self.fields["parent"].queryset = parents if parents is not None else Plan.objects.none()

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"Tệp {_mb(f.size)} MB, vượt quá giới hạn 20 MB.")
        if (f.name or "").lower().endswith(TEXT_SUFFIXES) and f.size > MAX_TEXT_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"Tệp văn bản {_mb(f.size)} MB, vượt quá giới hạn 2 MB của tệp TXT/MD (một kế hoạch dài "
                "cũng chỉ vài trăm KB chữ). Hãy tải lên bản DOCX hoặc PDF của văn bản."
            )
        return f


class MetadataForm(forms.Form):
    title = forms.CharField(label="Trích yếu", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    number = forms.CharField(label="Số, ký hiệu", max_length=64, required=False)
    issued_on = VietnameseDateField(label="Ngày ban hành", required=False)
    kind = forms.ChoiceField(label="Loại kế hoạch", choices=PlanKind.choices)
    from_year = forms.IntegerField(label="Từ năm", min_value=2000, max_value=2100)
    to_year = forms.IntegerField(label="Đến năm", min_value=2000, max_value=2100)

    def clean(self):
        data = super().clean()
        if data.get("from_year") and data.get("to_year") and data["to_year"] < data["from_year"]:
            self.add_error("to_year", "Năm kết thúc không được trước năm bắt đầu.")
        return data


class TargetRowForm(forms.Form):
    include = forms.BooleanField(label="Đưa vào", required=False, initial=True)
    text = forms.CharField(label="Chỉ tiêu", widget=forms.Textarea(attrs={"rows": 2}))
    area = forms.ChoiceField(label="Lĩnh vực", choices=AREA_CHOICES, required=False)
    comparator = forms.ChoiceField(label="So sánh", choices=Comparator.choices)
    value = forms.DecimalField(label="Giá trị", max_digits=14, decimal_places=2)
    unit = forms.CharField(label="Đơn vị tính", max_length=32, required=False)
    year = forms.IntegerField(label="Năm", required=False)
    reduction = forms.BooleanField(label="Giảm", required=False)
    section = forms.CharField(widget=forms.HiddenInput, required=False)
    line = forms.IntegerField(widget=forms.HiddenInput, required=False)


class TaskRowForm(forms.Form):
    include = forms.BooleanField(label="Đưa vào", required=False, initial=True)
    stt = forms.CharField(label="STT", max_length=16, required=False)
    area = forms.ChoiceField(label="Lĩnh vực", choices=AREA_CHOICES, required=False)
    content = forms.CharField(label="Nội dung", widget=forms.Textarea(attrs={"rows": 3}))
    output = forms.CharField(label="Kết quả, sản phẩm", required=False)
    lead = forms.CharField(
        label="Chủ trì", required=False, help_text="Các cơ quan cách nhau bằng dấu chấm phẩy (;)"
    )
    coordinating = forms.CharField(label="Phối hợp", required=False)
    deadline = forms.CharField(label="Thời gian hoàn thành", max_length=255, required=False)
    group = forms.CharField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(widget=forms.HiddenInput, required=False)
    line = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if data.get("include") and not data.get("area"):
            self.add_error("area", "Chọn lĩnh vực cải cách cho nhiệm vụ được đưa vào.")
        return data


TargetFormSet = forms.formset_factory(TargetRowForm, extra=0)
TaskFormSet = forms.formset_factory(TaskRowForm, extra=0)

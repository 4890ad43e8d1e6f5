"""Forms parse input (numbers with Vietnamese separators: 1.234 and 97,5); the rules are the
services' (their messages are put back on the fields by `apply_service_error`)."""

from __future__ import annotations

from django import forms

from cchc.orgs.models import Unit, UnitKind

from .models import Aggregation, Kind, ManualIndicator, Periodicity
from .validation import value_label

# Districts were abolished on 1/7/2025: nothing new is reported by them.
REPORTING_KINDS = [(k.value, k.label) for k in UnitKind if k != UnitKind.DISTRICT]


class CheckboxList(forms.CheckboxSelectMultiple):
    """Checkboxes shown as a list under their label: core/_form_fields.html puts the label of an
    input whose type is "checkbox" after it (right for one box, wrong for a list)."""

    input_type = "checkbox-list"

    def create_option(self, *args, **kwargs):
        option = super().create_option(*args, **kwargs)
        option["type"] = "checkbox"
        return option


class DefinitionForm(forms.Form):
    unit = forms.ModelChoiceField(
        label="Đơn vị ban hành",
        queryset=Unit.objects.none(),
        help_text="Chỉ số áp dụng cho các đơn vị thuộc đơn vị này (kể cả chính đơn vị).",
    )
    name = forms.CharField(label="Tên chỉ số", max_length=255)
    code = forms.CharField(
        label="Mã chỉ số",
        max_length=64,
        help_text="Chữ thường không dấu, chữ số, dấu gạch ngang; kế hoạch dùng mã này để lấy số liệu. "
        "Ví dụ: ty-le-van-ban-ky-so.",
    )
    kind = forms.ChoiceField(label="Loại chỉ số", choices=Kind.choices, widget=forms.RadioSelect)
    numerator_label = forms.CharField(
        label="Tên tử số (chỉ số tỷ lệ)",
        max_length=255,
        required=False,
        help_text="Ví dụ: Số văn bản đi được ký số.",
    )
    denominator_label = forms.CharField(
        label="Tên mẫu số (chỉ số tỷ lệ)",
        max_length=255,
        required=False,
        help_text="Ví dụ: Tổng số văn bản đi.",
    )
    unit_of_measure = forms.CharField(
        label="Đơn vị tính (số lượng, số liệu)",
        max_length=32,
        required=False,
        help_text="Ví dụ: cuộc, triệu đồng, giờ. Chỉ số tỷ lệ luôn tính bằng %.",
    )
    aggregation = forms.ChoiceField(
        label="Cách tổng hợp (số liệu có đơn vị tính)",
        choices=Aggregation.choices,
        initial=Aggregation.SUM,
        required=False,
        help_text="Tỷ lệ tính từ tử số/mẫu số luôn lấy tổng tử số chia tổng mẫu số; số lượng luôn cộng; "
        "tỷ lệ nhập trực tiếp lấy bình quân các đơn vị.",
    )
    periodicity = forms.ChoiceField(
        label="Kỳ báo cáo",
        choices=Periodicity.choices,
        help_text="Số liệu lũy kế từ 15/12 năm trước đến hết kỳ, như báo cáo CCHC định kỳ.",
    )
    unit_kinds = forms.MultipleChoiceField(
        label="Loại đơn vị báo cáo",
        choices=REPORTING_KINDS,
        required=False,
        widget=CheckboxList,
        help_text="Không chọn: mọi đơn vị thuộc đơn vị ban hành đều báo cáo.",
    )
    guidance = forms.CharField(
        label="Hướng dẫn cách tính, nguồn số liệu", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    active = forms.BooleanField(
        label="Đang áp dụng (bỏ chọn để ngừng nhận báo cáo)", required=False, initial=True
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()


def definition_initial(definition: ManualIndicator) -> dict:
    return {
        "unit": definition.unit,
        **{
            f: getattr(definition, f)
            for f in (
                "name",
                "code",
                "kind",
                "numerator_label",
                "denominator_label",
                "unit_of_measure",
                "aggregation",
                "periodicity",
                "unit_kinds",
                "guidance",
                "active",
            )
        },
    }


class ReportForm(forms.Form):
    """The figures of one report; its fields follow the definition's kind."""

    note = forms.CharField(
        label="Ghi chú, nguồn số liệu",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ví dụ: theo danh sách học viên các lớp bồi dưỡng; số liệu đến ngày 14/3.",
    )

    def __init__(self, *args, definition: ManualIndicator, **kwargs):
        super().__init__(*args, **kwargs)
        figures: dict[str, forms.Field] = {}
        # required=False: the service says what is missing, naming the definition's own labels
        if definition.kind == Kind.RATIO:
            figures["numerator"] = forms.IntegerField(
                label=f"Tử số: {definition.numerator_label}", required=False, localize=True
            )
            figures["denominator"] = forms.IntegerField(
                label=f"Mẫu số: {definition.denominator_label}",
                required=False,
                localize=True,
                help_text="Tỷ lệ = tử số / mẫu số × 100, do hệ thống tính.",
            )
        elif definition.kind == Kind.COUNT:
            figures["value"] = forms.IntegerField(
                label=value_label(definition), required=False, localize=True
            )
        else:
            figures["value"] = forms.DecimalField(
                label=value_label(definition),
                required=False,
                localize=True,
                help_text="Tối đa 2 chữ số thập phân, dùng dấu phẩy: 97,5.",
            )
        for field in figures.values():
            field.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})
            whole = isinstance(field, forms.IntegerField)
            field.error_messages["invalid"] = (
                f"{field.label} phải là số nguyên, ví dụ 1.234."
                if whole
                else f"{field.label} phải là một số, ví dụ 97,5."
            )
        self.fields = {**figures, **self.fields}


class ReportTargetForm(forms.Form):
    """Which unit and period to report for (a GET form above the figures)."""

    don_vi = forms.ModelChoiceField(label="Đơn vị báo cáo", queryset=Unit.objects.none())
    ky = forms.ChoiceField(label="Kỳ báo cáo")

    def __init__(self, *args, units, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["don_vi"].queryset = units
        self.fields["don_vi"].label_from_instance = lambda u: u.name
        self.fields["ky"].choices = [
            (p.key, f"{p.label} ({p.start:%d/%m/%Y}–{p.end:%d/%m/%Y})") for p in periods
        ]

"""Forms parse and validate input; business rules stay in services (errors are mapped back
onto fields by `cchc.core.forms.apply_service_error`)."""

from django import forms
from django.db.models import Case, IntegerField, When

from cchc.core.collation import vi
from cchc.core.widgets import UnitsField, VietnameseDateField
from cchc.orgs.models import Unit, UnitKind

from .models import Comparator, Plan, PlanKind, ReformArea


class PlanForm(forms.Form):
    issuer = forms.ModelChoiceField(label="Cơ quan ban hành", queryset=Unit.objects.none())
    title = forms.CharField(label="Trích yếu", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    number = forms.CharField(
        label="Số, ký hiệu", max_length=64, required=False, help_text="Ví dụ: 41/KH-UBND"
    )
    issued_on = VietnameseDateField(label="Ngày ban hành", required=False)
    kind = forms.ChoiceField(label="Loại kế hoạch", choices=PlanKind.choices)
    from_year = forms.IntegerField(label="Từ năm", min_value=2000, max_value=2100)
    to_year = forms.IntegerField(label="Đến năm", min_value=2000, max_value=2100)
    parent = forms.ModelChoiceField(
        label="Thực hiện kế hoạch cấp trên", queryset=Plan.objects.none(), required=False
    )
    summary = forms.CharField(
        label="Mục đích, yêu cầu", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)  # cchc.core.versioning

    def __init__(self, *args, issuers=None, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = issuers if issuers is not None else Unit.objects.none()
        self.fields["parent"].queryset = parents if parents is not None else Plan.objects.none()


class TargetForm(forms.Form):
    text = forms.CharField(label="Nội dung chỉ tiêu", widget=forms.Textarea(attrs={"rows": 2}))
    area = forms.ChoiceField(
        label="Lĩnh vực", choices=[("", "Chỉ tiêu chung")] + ReformArea.choices, required=False
    )
    comparator = forms.ChoiceField(label="So sánh", choices=Comparator.choices)
    value = forms.DecimalField(label="Giá trị", max_digits=14, decimal_places=2, localize=True)
    unit_of_measure = forms.CharField(label="Đơn vị tính", max_length=32, initial="%")
    year = forms.IntegerField(label="Năm", required=False)
    reduction = forms.BooleanField(label="Chỉ tiêu giảm (ví dụ: giảm ít nhất 10%)", required=False)


class TaskForm(forms.Form):
    number = forms.CharField(label="STT", max_length=16, required=False)
    area = forms.ChoiceField(label="Lĩnh vực", choices=ReformArea.choices)
    content = forms.CharField(label="Nội dung nhiệm vụ", widget=forms.Textarea(attrs={"rows": 3}))
    output = forms.CharField(
        label="Kết quả, sản phẩm", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    lead_units = UnitsField(label="Cơ quan chủ trì")
    coordinating_units = UnitsField(label="Cơ quan phối hợp", required=False)
    lead_text = forms.CharField(label="Cơ quan chủ trì (như ghi trong văn bản)", required=False)
    coordinating_text = forms.CharField(label="Cơ quan phối hợp (như ghi trong văn bản)", required=False)
    deadline_text = forms.CharField(
        label="Thời gian hoàn thành",
        max_length=255,
        required=False,
        help_text="Như ghi trong văn bản, ví dụ: “Quý I/2026”, “Thường xuyên”, “Trước 15/11 hàng năm”.",
    )
    final_due = VietnameseDateField(
        label="Hạn do người đặt",
        required=False,
        help_text="Chỉ cần khi thời hạn phụ thuộc điều kiện (“Khi có hướng dẫn…”).",
    )
    note = forms.CharField(label="Ghi chú", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)  # cchc.core.versioning

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = list(units if units is not None else Unit.objects.none())
        for name in ("lead_units", "coordinating_units"):
            self.fields[name].set_units(units, unit_group)


def unit_group(unit: Unit) -> str:
    return {
        UnitKind.PROVINCE: "Cơ quan ban hành",
        UnitKind.AGENCY: "Các sở, ban, ngành",
        UnitKind.COMMUNE: "Xã, phường, đặc khu",
    }.get(unit.kind, "Đơn vị trực thuộc, tổ chức khác")


def assignable_units(issuer: Unit):
    """Units a plan of `issuer` can assign work to: the issuer and its current subtree, agencies
    first, then communes, each alphabetically."""
    kind_order = Case(
        When(pk=issuer.pk, then=0),
        When(kind=UnitKind.AGENCY, then=1),
        When(kind=UnitKind.SUBUNIT, then=2),
        When(kind=UnitKind.OTHER, then=3),
        default=4,
        output_field=IntegerField(),
    )
    return Unit.objects.current().subtree_of(issuer).order_by(kind_order, vi("name"))

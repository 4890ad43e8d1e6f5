"""Forms of the dossier pages: they parse input only; the services decide (and refuse)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.urls import reverse

from cchc.core.uploads import ACCEPT_ATTR
from cchc.core.widgets import VietnameseDateField
from cchc.orgs.models import Unit, UnitKind
from cchc.procedures import selectors as procedure_selectors
from cchc.procedures.models import Level

from .choices import ApplicantKind, Channel, RatingValue, ReturnMethod
from .personal import Applicant

OUTCOMES = [
    ("complete", "Hồ sơ đầy đủ, hợp lệ: tiếp nhận và hẹn trả kết quả (mẫu 01)"),
    ("incomplete", "Hồ sơ chưa đầy đủ: yêu cầu bổ sung, hoàn thiện (mẫu 02)"),
    ("not_eligible", "Không đủ điều kiện: từ chối tiếp nhận (mẫu 03)"),
]


def lines(text: str) -> list[str]:
    """One item per line, blank lines dropped."""
    return [line.strip(" -•\t") for line in (text or "").splitlines() if line.strip(" -•\t")]


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.body_name


class ProcedureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} — {obj.name} ({obj.agency_label})"


class ReceiptForm(forms.Form):
    receiving_unit = UnitChoiceField(label="Nơi tiếp nhận", queryset=None, empty_label=None)
    procedure = ProcedureChoiceField(
        label="Thủ tục hành chính",
        queryset=None,
        help_text="Gõ vào ô lọc phía trên để tìm theo mã hoặc tên thủ tục.",
    )
    handling_unit = UnitChoiceField(
        label="Cơ quan giải quyết",
        queryset=None,
        required=False,
        empty_label="— Theo thủ tục (cơ quan thực hiện) —",
        help_text="Để trống: cơ quan thực hiện của thủ tục; thủ tục cấp xã: UBND xã nơi tiếp nhận "
        "(hoặc chọn xã).",
    )
    channel = forms.ChoiceField(label="Kênh nộp", choices=Channel.choices, initial=Channel.DESK)
    applicant_kind = forms.ChoiceField(
        label="Người nộp là", choices=ApplicantKind.choices, initial=ApplicantKind.CITIZEN
    )
    applicant_name = forms.CharField(label="Họ tên người nộp / tên tổ chức", max_length=255)
    applicant_id_number = forms.CharField(
        label="Số định danh cá nhân / mã số thuế",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    applicant_phone = forms.CharField(
        label="Số điện thoại",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        help_text="Người nộp tra cứu hồ sơ bằng mã hồ sơ và 4 số cuối của số điện thoại này.",
    )
    applicant_email = forms.CharField(label="Thư điện tử", max_length=254, required=False)
    applicant_address = forms.CharField(label="Địa chỉ", max_length=500, required=False)
    vneid_authenticated = forms.BooleanField(label="Đã xác thực bằng VNeID", required=False)
    data_reused = forms.BooleanField(
        label="Tái sử dụng dữ liệu đã có (không yêu cầu nộp lại)", required=False
    )
    digitised = forms.BooleanField(label="Đã số hóa thành phần hồ sơ", required=False)
    outcome = forms.ChoiceField(
        label="Kết quả kiểm tra hồ sơ", choices=OUTCOMES, initial="complete", widget=forms.RadioSelect
    )
    missing = forms.CharField(
        label="Thành phần cần bổ sung, hoàn thiện",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Mỗi dòng một thành phần; liệt kê đầy đủ một lần.",
    )
    reason = forms.CharField(
        label="Lý do từ chối tiếp nhận", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, receiving_units, procedures, handling_units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiving_unit"].queryset = receiving_units
        self.fields["procedure"].queryset = procedures
        self.fields["handling_unit"].queryset = handling_units
        # the checklist of the chosen procedure's components (cchc.dossiers.views_receipt)
        self.fields["procedure"].widget.attrs.update(
            {
                "hx-get": reverse("dossiers:receipt_components"),
                "hx-target": "#checklist",
                "hx-trigger": "change",
            }
        )

    def clean(self):
        data = super().clean()
        procedure, desk = data.get("procedure"), data.get("receiving_unit")
        if procedure is not None and data.get("handling_unit") is None:
            # Default: the procedure's agency; a commune-level procedure is decided by the commune
            # that receives it (the service refuses a unit that does not carry it out).
            commune_level = procedure.level == Level.COMMUNE and procedure.agency.kind == UnitKind.PROVINCE
            if commune_level and desk is not None and desk.kind == UnitKind.COMMUNE:
                data["handling_unit"] = desk
            elif commune_level:
                self.add_error("handling_unit", "Thủ tục cấp xã: chọn UBND xã, phường giải quyết.")
            else:
                data["handling_unit"] = procedure.agency
        return data

    def service_arguments(self) -> dict:
        d = self.cleaned_data
        outcome = d["outcome"]
        return {
            "procedure": d["procedure"],
            "handling_unit": d["handling_unit"],
            "receiving_unit": d["receiving_unit"],
            "channel": d["channel"],
            "applicant": Applicant(
                name=d["applicant_name"],
                id_number=d["applicant_id_number"],
                phone=d["applicant_phone"],
                email=d["applicant_email"],
                address=d["applicant_address"],
                kind=d["applicant_kind"],
            ),
            "complete": outcome == "complete",
            "missing": lines(d["missing"]) if outcome == "incomplete" else (),
            "eligible": outcome != "not_eligible",
            "reason": d["reason"] if outcome == "not_eligible" else "",
            "vneid_authenticated": d["vneid_authenticated"],
            "data_reused": d["data_reused"],
            "digitised": d["digitised"],
        }


# --- actions on a dossier (each a small POST form) -----------------------------------------------


class HandoverForm(forms.Form):
    to_unit = UnitChoiceField(label="Đơn vị nhận", queryset=None, empty_label=None)
    note = forms.CharField(label="Ghi chú", required=False, max_length=1000)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = units


class MissingForm(forms.Form):
    missing = forms.CharField(
        label="Nội dung cần bổ sung (mỗi dòng một nội dung)", widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_missing(self):
        return lines(self.cleaned_data["missing"])


class NoteForm(forms.Form):
    note = forms.CharField(label="Ghi chú", required=False, max_length=1000)


class ApologyForm(forms.Form):
    new_due_on = VietnameseDateField(label="Ngày hẹn trả mới")
    new_due_time = forms.TimeField(
        label="Giờ hẹn",
        initial=dt.time(17, 0),
        input_formats=["%H:%M"],
        widget=forms.TimeInput(format="%H:%M"),
    )
    reason = forms.CharField(label="Lý do chậm trả", widget=forms.Textarea(attrs={"rows": 2}))

    def new_due_at(self) -> dt.datetime:
        from django.utils import timezone

        naive = dt.datetime.combine(self.cleaned_data["new_due_on"], self.cleaned_data["new_due_time"])
        return timezone.make_aware(naive)


class DecideForm(forms.Form):
    granted = forms.TypedChoiceField(
        label="Kết quả",
        choices=[("1", "Chấp thuận"), ("0", "Từ chối")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    reason = forms.CharField(
        label="Lý do (bắt buộc khi từ chối)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    result_file = forms.FileField(
        label="Tệp kết quả điện tử",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTR}),
    )


class ResultFileForm(forms.Form):
    result_file = forms.FileField(
        label="Tệp kết quả điện tử", widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTR})
    )


class ReturnForm(forms.Form):
    method = forms.ChoiceField(label="Hình thức trả", choices=ReturnMethod.choices)


class StopForm(forms.Form):
    reason = forms.CharField(label="Nội dung đề nghị dừng", widget=forms.Textarea(attrs={"rows": 2}))
    requested_on = VietnameseDateField(label="Ngày người nộp đề nghị", required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Lý do", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class EmptyForm(forms.Form):
    pass


class RegisterForm(forms.Form):
    tu = VietnameseDateField(label="Từ ngày")
    den = VietnameseDateField(label="Đến ngày")


# --- the public site ---------------------------------------------------------------------------


class LookupForm(forms.Form):
    code = forms.CharField(
        label="Mã hồ sơ",
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": "Ví dụ: P75.STP-260302-0001"}),
    )
    phone_last_digits = forms.CharField(
        label="4 số cuối điện thoại của người nộp",
        max_length=11,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class FeedbackLookupForm(LookupForm):
    """The same two fields, named for a feedback."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = "Số tiếp nhận phản ánh, kiến nghị"
        self.fields["code"].widget.attrs["placeholder"] = "Ví dụ: PAKN-P75.STP-260302-0001"
        self.fields["phone_last_digits"].label = "4 số cuối điện thoại của người gửi"


class FeedbackRatingForm(forms.Form):
    rating = forms.ChoiceField(
        label="Ông/Bà có hài lòng với kết quả xử lý?", choices=RatingValue.choices, widget=forms.RadioSelect
    )


class RatingForm(forms.Form):
    rating = forms.ChoiceField(label="Mức độ hài lòng", choices=RatingValue.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label="Ý kiến", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FeedbackForm(forms.Form):
    """A citizen's feedback: about a dossier (its code), a procedure (its code, or found by words
    of its name), or simply addressed to an agency picked from the list — no code needed."""

    dossier_code = forms.CharField(label="Mã hồ sơ (nếu góp ý về một hồ sơ)", max_length=64, required=False)
    procedure_query = forms.CharField(
        label="Tìm thủ tục theo tên (nếu góp ý về một thủ tục)",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Ví dụ: đăng ký khai sinh (gõ không dấu cũng được)"}),
    )
    procedure_id = forms.TypedChoiceField(
        label="Chọn thủ tục", coerce=int, required=False, choices=(), widget=forms.RadioSelect
    )
    procedure_code = forms.CharField(
        label="hoặc mã thủ tục",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Ví dụ: 1.001193"}),
    )
    agency = forms.ModelChoiceField(
        label="Cơ quan nhận phản ánh (nếu không có mã hồ sơ, mã thủ tục)",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="— Chọn cơ quan, đơn vị —",
    )
    content = forms.CharField(label="Nội dung phản ánh, kiến nghị", widget=forms.Textarea(attrs={"rows": 5}))
    sender_name = forms.CharField(label="Họ tên người gửi", max_length=255)
    sender_phone = forms.CharField(label="Số điện thoại", max_length=20, required=False)
    sender_email = forms.CharField(label="Thư điện tử", max_length=254, required=False)
    sender_address = forms.CharField(label="Địa chỉ", max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = procedure_selectors.feedback_agencies()
        query = (self.data.get("procedure_query") or "").strip() if self.is_bound else ""
        self.procedure_matches = procedure_selectors.procedure_search_by_name(query) if query else []
        if len(self.procedure_matches) > 1:
            self.fields["procedure_id"].choices = [
                (p.pk, f"{p.name} — {p.agency.name} ({p.code})") for p in self.procedure_matches
            ]
        else:
            self.fields["procedure_id"].widget = forms.HiddenInput()


class FeedbackActionForm(forms.Form):
    text = forms.CharField(label="Nội dung", required=False, widget=forms.Textarea(attrs={"rows": 3}))

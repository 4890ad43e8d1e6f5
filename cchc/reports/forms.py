"""Plain forms of the report pages (no JavaScript needed)."""

from __future__ import annotations

from django import forms

from . import windows

KIND_CHOICES = [(k, f"Báo cáo {windows.KIND_LABELS[k]}") for k in windows.KINDS]


class OpenForm(forms.Form):
    don_vi = forms.IntegerField(widget=forms.HiddenInput, required=False)
    loai = forms.ChoiceField(label="Loại báo cáo", choices=KIND_CHOICES)
    nam = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    so = forms.IntegerField(label="Tháng/quý", required=False, min_value=0, max_value=12)


class SubmitForm(forms.Form):
    so_van_ban = forms.CharField(label="Số, ký hiệu", max_length=64, required=False)
    ngay_van_ban = forms.DateField(
        label="Ngày văn bản",
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(format="%d/%m/%Y"),
    )
    nguoi_ky = forms.CharField(label="Người ký", max_length=150, required=False)
    chuc_vu = forms.CharField(label="Chức vụ người ký", max_length=150, required=False)

from __future__ import annotations

from django import forms

from .models import Scope


class ClientForm(forms.Form):
    name = forms.CharField(label="Tên ứng dụng", max_length=128)
    unit_code = forms.CharField(
        label="Mã đơn vị (ứng dụng đọc, ghi trong đơn vị này và các đơn vị trực thuộc)", max_length=40
    )
    scope = forms.ChoiceField(
        label="Quyền",
        choices=[(Scope.READ, "Chỉ đọc"), (Scope.WRITE, "Đọc và ghi (gửi sự kiện hồ sơ, tiến độ)")],
        widget=forms.RadioSelect,
        initial=Scope.READ,
    )
    expires_on = forms.DateField(
        label="Hết hạn ngày (để trống: không hết hạn)",
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
    )
    rate_per_minute = forms.IntegerField(
        label="Số yêu cầu tối đa mỗi phút", min_value=1, max_value=1_000_000, initial=600
    )

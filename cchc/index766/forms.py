from django import forms

from cchc.core.widgets import VietnameseDateField


class CertifiedCopyForm(forms.Form):
    offered = forms.BooleanField(
        label="Xã đang cung cấp chứng thực bản sao điện tử từ bản chính", required=False
    )
    since = VietnameseDateField(label="Từ ngày", required=False, help_text="Để trống nếu không rõ.")

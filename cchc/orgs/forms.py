from django import forms

from .models import Role, UnitKind
from .services import ADDABLE_KINDS


class UnitAddForm(forms.Form):
    name = forms.CharField(label="Tên đơn vị", max_length=255)
    short_name = forms.CharField(label="Tên ngắn", max_length=120, required=False)
    kind = forms.ChoiceField(
        label="Loại", choices=[(k.value, k.label) for k in UnitKind if k in ADDABLE_KINDS]
    )


class UserAddForm(forms.Form):
    username = forms.CharField(label="Tên đăng nhập", max_length=150)
    full_name = forms.CharField(label="Họ và tên", max_length=150)
    position = forms.CharField(label="Chức vụ", max_length=150, required=False)
    email = forms.EmailField(label="Thư điện tử", required=False)
    role = forms.ChoiceField(label="Vai trò", choices=Role.choices)
    password = forms.CharField(
        label="Mật khẩu ban đầu",
        widget=forms.PasswordInput,
        help_text="Ít nhất 10 ký tự; người dùng nên đổi sau khi đăng nhập.",
    )

from django import forms

from cchc.core.models import CalendarDay
from cchc.core.widgets import VietnameseDateField


class CalendarDayForm(forms.Form):
    date = VietnameseDateField(label="Ngày")
    kind = forms.ChoiceField(label="Loại", choices=CalendarDay.Kind.choices)
    name = forms.CharField(
        label="Nội dung", max_length=255, help_text="Ví dụ: Nghỉ bù Tết Dương lịch; Làm bù cho ngày 02/01."
    )
    legal_reference = forms.CharField(
        label="Căn cứ", max_length=255, help_text="Số, ký hiệu, ngày của văn bản thông báo."
    )
    enabled = forms.BooleanField(label="Áp dụng", required=False, initial=True)


class WorkScheduleForm(forms.Form):
    hours = forms.CharField(
        label="Giờ làm việc",
        max_length=64,
        initial="07:30-11:30,13:00-17:00",
        help_text="Các khoảng giờ, cách nhau bằng dấu phẩy.",
    )
    cutoff = forms.TimeField(
        label="Giờ chốt nhận hồ sơ trong ngày",
        required=False,
        initial="15:00",
        help_text="Hồ sơ tiếp nhận sau giờ này tính từ ngày làm việc tiếp theo.",
    )


class DueDateForm(forms.Form):
    """The due-date calculator (sent as a query: its field names are the site's query parameters,
    docs/glossary.md)."""

    tiep_nhan_luc = forms.DateTimeField(
        label="Thời điểm tiếp nhận",
        input_formats=["%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"],
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy hh:mm"}),
    )
    thoi_han = forms.DecimalField(label="Thời hạn", min_value=0, max_digits=6, decimal_places=2)
    don_vi_tinh = forms.ChoiceField(
        label="Đơn vị",
        choices=[
            ("working_day", "ngày làm việc"),
            ("working_hour", "giờ làm việc"),
            ("calendar_day", "ngày"),
        ],
    )

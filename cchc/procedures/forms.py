"""Forms parse and validate input; business rules stay in services (errors are mapped back
onto fields by `cchc.core.forms.apply_service_error`)."""

from django import forms

from cchc.orgs.models import Unit

from .models import ApplicantType, Level, OnlineMode, TimeUnit
from .performers import Performer

DATE_INPUT = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.body_name


class ProcedureForm(forms.Form):
    code = forms.CharField(
        label="Mã thủ tục", max_length=32, help_text="Mã quốc gia 1.001234, hoặc mã địa phương 1.012753.H19."
    )
    name = forms.CharField(label="Tên thủ tục", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    field = forms.CharField(
        label="Lĩnh vực", max_length=255, required=False, widget=forms.TextInput(attrs={"list": "linh-vuc"})
    )
    level = forms.ChoiceField(label="Cấp thực hiện", choices=Level.choices)
    agency = UnitChoiceField(
        label="Cơ quan thực hiện",
        queryset=Unit.objects.none(),
        help_text="Thủ tục cấp xã áp dụng cho mọi xã của tỉnh: chọn cấp xã và chọn tỉnh.",
    )
    processing_time = forms.DecimalField(
        label="Thời hạn giải quyết",
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=2,
        localize=True,
    )
    time_unit = forms.ChoiceField(label="Đơn vị thời hạn", choices=TimeUnit.choices)
    fee_amount = forms.IntegerField(
        label="Phí, lệ phí (đồng)",
        required=False,
        min_value=0,
        help_text="Nhập 0 nếu không thu; để trống nếu chưa cập nhật.",
    )
    fee_note = forms.CharField(label="Ghi chú phí, lệ phí", max_length=500, required=False)
    online_mode = forms.ChoiceField(label="Dịch vụ công trực tuyến", choices=OnlineMode.choices)
    result_type = forms.CharField(label="Kết quả thực hiện", max_length=500, required=False)
    applicant_type = forms.ChoiceField(
        label="Đối tượng thực hiện",
        choices=[("", "Chưa cập nhật"), *ApplicantType.choices],
        required=False,
        help_text="Chỉ số 766 cần biết thủ tục dành cho công dân hay tổ chức.",
    )
    published_on = forms.DateField(label="Ngày công bố", required=False, widget=DATE_INPUT)
    announcement_decision = forms.CharField(
        label="Quyết định công bố", max_length=100, required=False, help_text="Ví dụ: 1234/QĐ-UBND"
    )
    legal_basis = forms.CharField(label="Căn cứ pháp lý", max_length=500, required=False)
    legal_basis_effective_on = forms.DateField(
        label="Căn cứ pháp lý có hiệu lực từ", required=False, widget=DATE_INPUT
    )
    synced_to_national_portal = forms.BooleanField(
        label="Đã đồng bộ lên Cổng Dịch vụ công quốc gia", required=False
    )
    made_public_on = forms.DateField(
        label="Ngày công khai trên CSDL quốc gia", required=False, widget=DATE_INPUT
    )
    valid_from = forms.DateField(label="Hiệu lực từ", required=False, widget=DATE_INPUT)
    valid_to = forms.DateField(label="Hiệu lực đến", required=False, widget=DATE_INPUT)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies if agencies is not None else Unit.objects.none()


class ComponentForm(forms.Form):
    name = forms.CharField(label="Tên giấy tờ", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    form_template = forms.CharField(
        label="Mẫu đơn, tờ khai", max_length=255, required=False, help_text="Ví dụ: Mẫu số 01/TTHC"
    )
    copies = forms.IntegerField(label="Số lượng bản", min_value=1, max_value=99, initial=1)
    mandatory = forms.BooleanField(label="Bắt buộc", required=False, initial=True)


class StepForm(forms.Form):
    name = forms.CharField(
        label="Nội dung công việc", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    actor_role = forms.CharField(
        label="Người, bộ phận thực hiện", max_length=255, widget=forms.TextInput(attrs={"list": "vai-tro"})
    )
    performer = forms.ChoiceField(
        label="Vai trò khi xử lý hồ sơ",
        choices=[("", "Theo tên người, bộ phận thực hiện"), *Performer.choices],
        required=False,
        help_text="Ai được làm bước này trên hồ sơ: cán bộ một cửa, chuyên viên, hoặc lãnh đạo ký duyệt.",
    )
    time_allowed = forms.DecimalField(
        label="Thời gian", min_value=0, max_digits=7, decimal_places=2, localize=True
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Tệp danh mục (.csv hoặc .xlsx)", help_text="Dòng đầu là tiêu đề cột; xem hướng dẫn bên dưới."
    )
    agency = UnitChoiceField(
        label="Cơ quan mặc định",
        queryset=Unit.objects.none(),
        required=False,
        help_text="Dùng cho các dòng không điền cột co_quan.",
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies if agencies is not None else Unit.objects.none()

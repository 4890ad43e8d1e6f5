"""Audit actions in words: the audit log shows "Ban hành kế hoạch", not `plan.issue`.

Actions written as literals by the services are listed here; families whose last part is a
choice of a higher app (`dossier.<event kind>`, `feedback.<event kind>`, `report.<decision>`)
are registered by that app's labels through `register_family` (the top layer does it, see
cchc.portal.apps). tests/test_audit_labels.py finds every action the code writes and fails
for one without a Vietnamese label."""

from __future__ import annotations

from collections.abc import Iterable

LABELS: dict[str, str] = {
    "api.client_register": "Đăng ký ứng dụng kết nối",
    "api.client_revoke": "Thu hồi ứng dụng kết nối",
    "assignments.sync": "Cập nhật phân công nhiệm vụ",
    "calendar.save": "Sửa lịch làm việc",
    "dossiers.import": "Nhập hồ sơ từ tệp",
    "dossier.apology_warning": "Cảnh báo hồ sơ cần xin lỗi, hẹn lại",
    "dossier.personal_search": "Tìm hồ sơ theo thông tin người nộp",
    "index766.certified_copy": "Cập nhật chứng thực bản sao điện tử",
    "index766.compute": "Tính Chỉ số 766",
    "index766.demo_facts": "Số liệu trình diễn Chỉ số 766",
    "inspection.add": "Thêm cuộc kiểm tra",
    "inspection.checklist_add": "Thêm nội dung kiểm tra",
    "inspection.checklist_copy": "Sao chép nội dung kiểm tra",
    "inspection.checklist_remove": "Bỏ nội dung kiểm tra",
    "inspection.conclude": "Kết luận kiểm tra",
    "inspection.evidence_add": "Thêm tài liệu kiểm tra",
    "inspection.finding_add": "Ghi tồn tại, hạn chế",
    "inspection.finding_remove": "Bỏ tồn tại, hạn chế",
    "inspection.plan_create": "Lập kế hoạch kiểm tra",
    "inspection.remediation_accept": "Chấp nhận kết quả khắc phục",
    "inspection.remediation_report": "Báo cáo khắc phục",
    "inspection.remediation_return": "Trả lại báo cáo khắc phục",
    "inspection.remind": "Nhắc khắc phục",
    "inspection.reschedule": "Đổi lịch kiểm tra",
    "inspection.results_save": "Ghi kết quả kiểm tra",
    "inspection.start": "Bắt đầu kiểm tra",
    "inspection.team_set": "Phân công đoàn kiểm tra",
    "manual_indicator.create": "Tạo chỉ số báo cáo",
    "manual_indicator.delete": "Xóa chỉ số báo cáo",
    "manual_indicator.update": "Sửa chỉ số báo cáo",
    "manual_report.correct": "Điều chỉnh số liệu báo cáo",
    "manual_report.create": "Báo cáo số liệu",
    "membership.grant": "Giao vai trò",
    "membership.revoke": "Thu hồi vai trò",
    "par.appraise": "Thẩm định điểm Chỉ số CCHC",
    "par.clarify_answer": "Giải trình theo yêu cầu",
    "par.clarify_request": "Yêu cầu giải trình",
    "par.computed_refresh": "Tính lại điểm từ dữ liệu hệ thống",
    "par.demo_history": "Kết quả trình diễn năm trước",
    "par.evidence_add": "Thêm tài liệu kiểm chứng",
    "par.evidence_remove": "Bỏ tài liệu kiểm chứng",
    "par.finalise": "Chốt kết quả của đơn vị",
    "par.framework_copy": "Sao bộ chỉ số sang năm mới",
    "par.framework_delete": "Xóa bộ chỉ số",
    "par.framework_import": "Nhập bộ chỉ số",
    "par.framework_issue": "Ban hành bộ chỉ số",
    "par.framework_replace": "Thay bộ chỉ số",
    "par.publish": "Công bố kết quả Chỉ số CCHC",
    "par.remind": "Nhắc tự đánh giá",
    "par.round_finalise": "Chốt đợt đánh giá",
    "par.round_open": "Mở đợt đánh giá",
    "par.score_save": "Lưu điểm tự đánh giá",
    "par.submit": "Gửi kết quả tự đánh giá",
    "par.survey_import": "Nhập điểm khảo sát",
    "plan.close": "Kết thúc kế hoạch",
    "plan.create": "Tạo kế hoạch",
    "plan.delete": "Xóa kế hoạch",
    "plan.issue": "Ban hành kế hoạch",
    "plan.review_policy": "Đổi chế độ xem xét tiến độ",
    "plan.targets_suggest": "Gợi ý gắn chỉ tiêu",
    "plan.update": "Sửa kế hoạch",
    "procedure.component.delete": "Xóa thành phần hồ sơ",
    "procedure.component.update": "Sửa thành phần hồ sơ",
    "procedure.delete": "Xóa thủ tục",
    "procedure.import": "Nhập danh mục thủ tục",
    "procedure.parts": "Sửa các bước, thành phần của thủ tục",
    "procedure.step.delete": "Xóa bước xử lý",
    "procedure.step.move": "Đổi thứ tự bước xử lý",
    "procedure.step.update": "Sửa bước xử lý",
    "procedure.update": "Sửa thủ tục",
    "progress.accept": "Xem xét báo cáo tiến độ",
    "progress.post": "Cập nhật tiến độ",
    "reminders.send": "Gửi nhắc việc",
    "report.demo_history": "Báo cáo trình diễn kỳ trước",
    "report.open": "Mở báo cáo định kỳ",
    "report.refresh": "Cập nhật số liệu báo cáo",
    "report.remind": "Nhắc nộp báo cáo",
    "report.save": "Lưu báo cáo",
    "report.schedule": "Lập lịch báo cáo",
    "report.submit": "Gửi báo cáo",
    "survey.campaign_close": "Kết thúc đợt khảo sát",
    "survey.campaign_create": "Tạo đợt khảo sát",
    "survey.links_issue": "Phát đường dẫn khảo sát",
    "survey.response_enter": "Nhập phiếu khảo sát giấy",
    "survey.response_submit": "Người dân trả lời khảo sát",
    "survey.responses_import": "Nhập phiếu khảo sát từ tệp",
    "survey.sample_draw": "Chọn mẫu khảo sát",
    "survey.tallies_recompute": "Tính lại kết quả khảo sát",
    "target.bind": "Gắn chỉ tiêu với chỉ số",
    "target.delete": "Xóa chỉ tiêu",
    "target.unbind": "Bỏ gắn chỉ tiêu",
    "target.update": "Sửa chỉ tiêu",
    "task.delete": "Xóa nhiệm vụ",
    "task.update": "Sửa nhiệm vụ",
    "unit.create": "Thêm đơn vị",
    "units.load_administrative": "Nạp danh mục đơn vị hành chính",
    "user.create": "Tạo tài khoản",
    "work_schedule.save": "Sửa giờ làm việc của đơn vị",
}

# prefix → (words before the choice's label, {value: label})
_FAMILIES: dict[str, tuple[str, dict[str, str]]] = {}


def register_family(prefix: str, words: str, choices: Iterable[tuple[str, str]]) -> None:
    """`prefix.<value>` is labelled "<words>: <label of value>" (e.g. "Hồ sơ: Trả kết quả")."""
    _FAMILIES[prefix] = (words, {str(value): str(label) for value, label in choices})


def action_label(action: str) -> str:
    """The action in Vietnamese; an unknown one keeps its code (the test keeps that from happening)."""
    if action in LABELS:
        return LABELS[action]
    prefix, _, rest = action.partition(".")
    family = _FAMILIES.get(prefix)
    if family and rest in family[1]:
        return f"{family[0]}: {family[1][rest]}"
    return action


def is_labelled(action: str) -> bool:
    return action_label(action) != action

"""The vocabularies of the dossier system. Values are the identifiers of the exchange format
(docs/specs/dossier-exchange.md) where one exists, so an export never has to translate them."""

from django.db import models


class Channel(models.TextChoices):
    DESK = "truc_tiep", "Trực tiếp tại bộ phận một cửa"
    ONLINE = "truc_tuyen", "Trực tuyến"
    POST = "buu_chinh", "Qua dịch vụ bưu chính công ích"


class ApplicantKind(models.TextChoices):
    CITIZEN = "citizen", "Công dân"
    ORGANISATION = "organisation", "Tổ chức, doanh nghiệp"


class State(models.TextChoices):
    INCOMPLETE_AT_RECEIPT = "incomplete_at_receipt", "Chờ bổ sung, hoàn thiện (chưa tiếp nhận)"
    REFUSED_AT_RECEIPT = "refused_at_receipt", "Từ chối tiếp nhận"
    RECEIVED = "received", "Đã tiếp nhận"
    IN_PROGRESS = "in_progress", "Đang giải quyết"
    WAITING_SUPPLEMENT = "waiting_supplement", "Tạm dừng, chờ bổ sung"
    RESULT_READY = "result_ready", "Đã có kết quả"
    RETURNED = "returned", "Đã trả kết quả"
    STOPPED = "stopped", "Dừng giải quyết theo đề nghị"
    WITHDRAWN = "withdrawn", "Đã rút hồ sơ"


class Result(models.TextChoices):
    GRANTED = "chap_thuan", "Chấp thuận"
    REFUSED = "tu_choi", "Từ chối"
    STOPPED = "dung", "Dừng giải quyết theo đề nghị"
    WITHDRAWN = "rut", "Rút hồ sơ"


class ReturnMethod(models.TextChoices):
    DESK = "desk", "Tại bộ phận một cửa"
    POST = "post", "Qua dịch vụ bưu chính"
    ONLINE = "online", "Trực tuyến (bản điện tử)"


class RatingValue(models.TextChoices):
    VERY_SATISFIED = "rat_hai_long", "Rất hài lòng"
    SATISFIED = "hai_long", "Hài lòng"
    NEUTRAL = "binh_thuong", "Bình thường"
    UNSATISFIED = "khong_hai_long", "Không hài lòng"


class EventKind(models.TextChoices):
    RECEIPT_INCOMPLETE = (
        "receipt_incomplete",
        "Yêu cầu bổ sung, hoàn thiện hồ sơ trước khi tiếp nhận (mẫu 02)",
    )
    REFUSED_AT_RECEIPT = "refused_at_receipt", "Từ chối tiếp nhận (mẫu 03)"
    RECEIVED = "received", "Tiếp nhận, hẹn trả kết quả (mẫu 01)"
    STEP_STARTED = "step_started", "Bắt đầu bước xử lý"
    HANDED_OVER = "handed_over", "Bàn giao giữa các bước (mẫu 06)"
    SUPPLEMENT_REQUESTED = "supplement_requested", "Yêu cầu bổ sung hồ sơ, tạm dừng (mẫu 02)"
    SUPPLEMENT_RECEIVED = "supplement_received", "Nhận hồ sơ bổ sung, tiếp tục giải quyết"
    APOLOGY_SENT = "apology_sent", "Xin lỗi và hẹn lại ngày trả (mẫu 04)"
    RESULT_GRANTED = "result_granted", "Có kết quả: chấp thuận"
    RESULT_REFUSED = "result_refused", "Có kết quả: từ chối"
    RESULT_FILE_ATTACHED = "result_file_attached", "Đính kèm kết quả điện tử"
    RETURNED = "returned", "Trả kết quả"
    STOP_REQUESTED = "stop_requested", "Người nộp đề nghị dừng giải quyết"
    STOPPED = "stopped", "Dừng giải quyết (mẫu 05)"
    WITHDRAWN = "withdrawn", "Rút hồ sơ"
    PAYMENT_STARTED = "payment_started", "Bắt đầu thanh toán"
    PAYMENT_MADE = "payment_made", "Đã thanh toán"
    PAYMENT_FAILED = "payment_failed", "Thanh toán không thành công"
    RATED = "rated", "Người nộp đánh giá"
    DIGITISED = "digitised", "Số hóa thành phần hồ sơ, kết quả"
    SYNCED = "synced", "Đồng bộ Cổng Dịch vụ công quốc gia"
    DATA_STORE_LINKED = "data_store_linked", "Liên kết kho dữ liệu cá nhân"

from django.core import mail
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from cchc.core.numbers import format_count
from cchc.demo.loader import DEMO_PASSWORD, USERS, demo_exists, load_demo, lookup_sample


class Command(BaseCommand):
    help = "Nạp dữ liệu trình diễn: tỉnh Đồng Nai, người dùng các vai trò, kế hoạch CCHC năm nay và tiến độ. Chỉ nạp một lần."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="không báo lỗi nếu đã nạp")

    def handle(self, *args, if_empty=False, **options):
        if demo_exists():
            self.stdout.write("Dữ liệu trình diễn đã có sẵn, không nạp lại.")
        else:
            # The notices the demo's story sends (inspection conclusions, reminders) are kept,
            # not printed: a console full of raw e-mail reads like a failure.
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                mail.outbox = []
                result = load_demo(log=self.stdout.write)
                sent = len(mail.outbox)
            if sent:
                self.stdout.write(
                    f"{format_count(sent)} thư thông báo của câu chuyện trình diễn đã được soạn (không gửi đi)."
                )
            if result["unresolved"]:
                self.stdout.write(
                    "Ghi chú: kế hoạch mẫu giao việc cho nhóm cơ quan chưa gắn với một đơn vị cụ thể, "
                    "tên được giữ nguyên như văn bản: " + "; ".join(result["unresolved"])
                )
        self.stdout.write("")
        self.stdout.write(f"Tài khoản trình diễn (mật khẩu chung: {DEMO_PASSWORD}):")
        for u in USERS:
            self.stdout.write(f"  {u.username:<18} {u.full_name} — {u.position}")
        sample = lookup_sample()
        if sample:
            self.stdout.write("")
            self.stdout.write(
                f"Người dân tra cứu hồ sơ tại /tra-cuu/: mã hồ sơ {sample[0]}, 4 số cuối điện thoại {sample[1]}."
            )

from django.core.management.base import BaseCommand

from cchc.demo.loader import DEMO_PASSWORD, USERS, demo_exists, load_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu trình diễn: tỉnh Đồng Nai, người dùng các vai trò, kế hoạch CCHC năm nay và tiến độ. Chỉ nạp một lần."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="không báo lỗi nếu đã nạp")

    def handle(self, *args, if_empty=False, **options):
        if demo_exists():
            self.stdout.write("Dữ liệu trình diễn đã có sẵn, không nạp lại.")
        else:
            result = load_demo(log=self.stdout.write)
            if result["unresolved"]:
                self.stdout.write(
                    "Tên cơ quan chưa xác định được đơn vị (giữ nguyên như văn bản): "
                    + "; ".join(result["unresolved"])
                )
        self.stdout.write("")
        self.stdout.write(f"Tài khoản trình diễn (mật khẩu chung: {DEMO_PASSWORD}):")
        for u in USERS:
            self.stdout.write(f"  {u.username:<18} {u.full_name} — {u.position}")

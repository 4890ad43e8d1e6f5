"""Production: PostgreSQL via DATABASE_URL, HTTPS behind a reverse proxy. Refuses to start with
demo or simulated parts (the simulated payment gateway)."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))

# No simulated payments in production: anyone passing the public lookup could mark a fee paid.
CCHC_PAYMENT_GATEWAY = os.environ.get("CCHC_PAYMENT_GATEWAY") or "cchc.dossiers.gateways.NoGateway"
if CCHC_PAYMENT_GATEWAY.rsplit(".", 1)[-1] == "SimulatedGateway":
    raise ImproperlyConfigured(
        "CCHC_PAYMENT_GATEWAY chỉ định cổng thanh toán mô phỏng: không được dùng khi vận hành thật "
        "(để trống: không thanh toán trực tuyến; hoặc chỉ định lớp cổng thanh toán thật)."
    )

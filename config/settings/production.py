"""Production: PostgreSQL via DATABASE_URL, HTTPS behind a reverse proxy. Refuses to start with
demo or simulated parts (the simulated payment gateway)."""

import os

from django.core.exceptions import ImproperlyConfigured

# No secret key generated per data folder: production is given one, or does not start (checked
# before the base settings, which would generate one).
if not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured(
        "SECRET_KEY chưa được đặt: vận hành thật cần một khóa bí mật cố định (xem .env.example)."
    )

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
# HTTPS only: a year of HSTS and a redirect (the proxy may redirect first; both are harmless).
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Whether every subdomain of a province's domain is HTTPS-only, and whether to ask browsers to
# preload it, is the domain owner's decision, not the application's: both stay off unless set
# (docs/decisions.md), so `check --deploy` is told not to warn about them.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz?$"]
# A database restart must not cost one 500 per worker: check a kept connection before using it.
for _db in DATABASES.values():  # noqa: F405
    _db["CONN_HEALTH_CHECKS"] = True

# No secret key generated per data folder: production is given one, or does not start.
if not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured(
        "SECRET_KEY chưa được đặt: vận hành thật cần một khóa bí mật cố định (xem .env.example)."
    )

# No simulated payments in production: anyone passing the public lookup could mark a fee paid.
CCHC_PAYMENT_GATEWAY = os.environ.get("CCHC_PAYMENT_GATEWAY") or "cchc.dossiers.gateways.NoGateway"
if CCHC_PAYMENT_GATEWAY.rsplit(".", 1)[-1] == "SimulatedGateway":
    raise ImproperlyConfigured(
        "CCHC_PAYMENT_GATEWAY chỉ định cổng thanh toán mô phỏng: không được dùng khi vận hành thật "
        "(để trống: không thanh toán trực tuyến; hoặc chỉ định lớp cổng thanh toán thật)."
    )

# No embedded job queue in production: the SQLite file in one host's data folder is lost with the
# host and cannot be shared by a second one; the queue is a Redis server (JOBS_URL).
if not JOBS_URL.startswith(("redis://", "rediss://")):  # noqa: F405
    raise ImproperlyConfigured(
        "JOBS_URL chưa đặt: vận hành thật cần hàng đợi tác vụ nền trên Redis, ví dụ "
        "JOBS_URL=redis://127.0.0.1:6379/1 (xem docs/operations.md)."
    )

"""A tour of the demo province in a real browser, as each of its roles (issue 14, "Done when"):
each person signs in on a 390 px phone, lands on their home page, and walks the pages their
menu offers and the first records they open. On every page: no error answer, no stray English
or untranslated code, dates dd/mm/yyyy, counts grouped (1.993), nothing wider than the phone,
and every chart drawn inside the screen. Then a citizen walks the public pages."""

from __future__ import annotations

import datetime as dt
import os
from urllib.parse import urlsplit

import pytest

from cchc.demo.loader import DEMO_PASSWORD, load_demo

from .test_browser import CHROMIUM, CHROMIUM_FLAGS, playwright_api
from .tour_checks import problems

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = pytest.mark.browser
WIDTH = 390

# (username, what they are, where they land)
ROLES = [
    ("quantri", "quản trị", "/ke-hoach/"),
    ("dieuphoi", "điều phối CCHC tỉnh", "/ke-hoach/"),
    ("lanhdao", "lãnh đạo tỉnh", "/chi-so/"),
    ("canbo.tuphap", "chuyên viên sở", "/theo-doi/cua-toi/"),
    ("motcua", "bộ phận một cửa tỉnh", "/ho-so/"),
    ("canbo.dongxoai", "công chức phường", "/theo-doi/cua-toi/"),
    ("lanhdao.dongxoai", "chủ tịch phường", "/chi-so/?don_vi="),
]
PUBLIC = ["/tra-cuu/", "/gop-y/"]
# Links a tour does not follow: downloads, sign-out, the machine interface, the admin site.
SKIP = (
    "xuat",
    "/tai-ve",
    "/tai-lieu/",
    "/tep/",
    ".pdf",
    ".docx",
    ".xlsx",
    "dang-xuat",
    "/api/",
    "/admin/",
    "mau-",
)
PER_ROLE = 16  # pages a role's tour opens at most

VISIBLE = """
() => {
  const attrs = [...document.querySelectorAll('[placeholder],[title],[aria-label]')]
    .filter(e => e.offsetParent !== null)
    .flatMap(e => [e.getAttribute('placeholder'), e.getAttribute('title'), e.getAttribute('aria-label')])
    .filter(Boolean);
  // a file format's column names and values are shown as code, on purpose
  const codes = [...document.querySelectorAll('code, kbd, samp, pre')].map(e => e.innerText);
  let text = document.body.innerText;
  for (const c of codes) if (c) text = text.split(c).join(" ");
  return text + "\\n" + attrs.join("\\n");
}
"""
LINKS = """
(sel) => [...document.querySelectorAll(sel)].map(a => a.getAttribute('href')).filter(Boolean)
"""
CHARTS = """
() => [...document.querySelectorAll('svg.chart')].filter(c => !c.closest('details:not([open])')).map(c => {
  const b = c.getBoundingClientRect();
  return {x: b.x, w: b.width, h: b.height, shown: c.checkVisibility ? c.checkVisibility() : true};
})
"""


@pytest.fixture
def demo(transactional_db):
    return load_demo(today=dt.date(2026, 11, 20), log=lambda *_: None, dossiers=1500)


def _check(page, url: str, response) -> list[str]:
    found = []
    status = response.status if response is not None else 0
    if status >= 400:
        return [f"{url}: trả về {status}"]
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > WIDTH:
        found.append(f"{url}: rộng {width} px trên màn hình {WIDTH} px")
    for kind, items in problems(page.evaluate(VISIBLE)).items():
        found.append(f"{url}: {kind}: {sorted(items)[:8]}")
    for c in page.evaluate(CHARTS):
        if not c["shown"] or c["w"] <= 0 or c["h"] <= 0 or c["x"] < 0 or c["x"] + c["w"] > WIDTH + 1:
            found.append(f"{url}: biểu đồ không nằm gọn trong màn hình: {c}")
    return found


def _followable(href: str, base: str) -> str | None:
    if href.startswith("#") or any(s in href for s in SKIP) or href.startswith(("mailto:", "tel:")):
        return None
    parts = urlsplit(href)
    if parts.netloc and f"{parts.scheme}://{parts.netloc}" != base:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _tour(page, base: str, start: str, budget: int) -> tuple[list[str], list[str]]:
    """The start page, every menu entry, and the first record linked from each of the first
    pages: what a person opens in their first minutes."""
    seen: list[str] = []
    found: list[str] = []
    queue = [start]
    while queue and len(seen) < budget:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.append(path)
        response = page.goto(base + path)
        page.wait_for_load_state()
        found += _check(page, path, response)
        if response is None or response.status >= 400:
            continue
        menu = page.evaluate(LINKS, "header nav a, nav.subnav a, nav a")
        records = page.evaluate(LINKS, "main table a, main .card a, main li a")[:2]
        # from the home page, its first records before the menu; elsewhere, after it
        for i, href in enumerate(records):
            target = _followable(href, base)
            if target and target not in seen and target not in queue:
                if path == start:
                    queue.insert(i, target)
                else:
                    queue.append(target)
        for href in menu:
            target = _followable(href, base)
            if target and target not in seen and target not in queue:
                queue.append(target)
    return seen, found


def _context(browser):
    context = browser.new_context(
        locale="vi-VN", viewport={"width": WIDTH, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(30000)
    return context, page


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def test_a_tour_of_the_demo_as_each_role_finds_nothing_wrong(browser, live_server, demo):
    base = live_server.url
    report: list[str] = []
    walked = 0
    for username, who, home in ROLES:
        context, page = _context(browser)
        try:
            page.goto(f"{base}/dang-nhap/")
            page.fill("#id_username", username)
            page.fill("#id_password", DEMO_PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state()
            landed = _followable(page.url, base) or ""
            if not landed.startswith(home):
                report.append(f"{username} ({who}) về trang {landed}, không phải {home}")
            seen, found = _tour(page, base, landed, PER_ROLE)
            print(f"{username} ({who}):", " ".join(seen))
            walked += len(seen)
            report += [f"{username}: {f}" for f in found]
        finally:
            context.close()
    context, page = _context(browser)
    try:
        seen, found = _tour(page, base, "/cong-khai/", 8)
        walked += len(seen)
        report += [f"người dân: {f}" for f in found]
        for path in PUBLIC:
            response = page.goto(base + path)
            page.wait_for_load_state()
            report += [f"người dân: {f}" for f in _check(page, path, response)]
    finally:
        context.close()
    assert walked >= 5 * len(ROLES), walked
    assert not report, "\n".join(report)

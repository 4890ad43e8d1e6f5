"""The load mix of bench/load.py (issue 16, item 5), for locust. Not run alone: bench/load.py
prepares the accounts, their sessions and the sample of dossiers, and passes them in
$CCHC_LOAD_CONFIG (a JSON file).

Who does what, with a person's pauses between actions (1–4 s):
- officers (weight 4): the province coordinator and a commune officer on the indicator dashboard,
  their tasks, the dossier list;
- the one-stop desk (weight 2): opens the receipt form and receives a dossier (POST, CSRF);
- citizens (weight 4): look a dossier up by code and phone digits (POST, then the result page),
  browse the public catalogue of procedures and one procedure.
"""

from __future__ import annotations

import json
import os
import random
import re

from locust import HttpUser, between, task

# set by bench/load.py; absent when the module is only imported (tests/test_bench_scripts.py)
CONFIG = (
    json.loads(open(os.environ["CCHC_LOAD_CONFIG"], encoding="utf-8").read())
    if "CCHC_LOAD_CONFIG" in os.environ
    else {}
)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _token(response) -> str:
    found = CSRF.search(response.text)
    if not found:
        response.failure("no CSRF token on the page")
        return ""
    return found.group(1)


def _signed_in(response) -> None:
    """A page answered with the login form means the session was refused: an error, not a page."""
    if "/dang-nhap/" in response.url:
        response.failure("session refused: redirected to the login page")


class Officer(HttpUser):
    weight = 4
    wait_time = between(1, 4)

    def on_start(self):
        who = random.choice(CONFIG["officers"])
        self.client.cookies.set("sessionid", who["session"])

    @task(3)
    def dashboard(self):
        with self.client.get("/chi-so/", name="officer: dashboard /chi-so/", catch_response=True) as r:
            _signed_in(r)

    @task(2)
    def my_tasks(self):
        with self.client.get(
            "/theo-doi/cua-toi/", name="officer: tasks /theo-doi/cua-toi/", catch_response=True
        ) as r:
            _signed_in(r)

    @task(1)
    def dossier_list(self):
        with self.client.get("/ho-so/", name="officer: dossiers /ho-so/", catch_response=True) as r:
            _signed_in(r)


class Desk(HttpUser):
    weight = 2
    wait_time = between(1, 4)

    def on_start(self):
        self.client.cookies.set("sessionid", CONFIG["desk"]["session"])

    @task
    def receive(self):
        page = self.client.get("/ho-so/tiep-nhan/", name="desk: receipt form")
        token = _token(page)
        if not token:
            return
        n = random.randrange(10**8)
        form = dict(CONFIG["desk"]["form"])
        form |= {
            "csrfmiddlewaretoken": token,
            "applicant_name": f"Nguyễn Văn Tải {n}",
            "applicant_id_number": f"0{n:011d}",
            "applicant_phone": f"09{n:08d}",
        }
        with self.client.post(
            "/ho-so/tiep-nhan/",
            data=form,
            name="desk: receive (POST)",
            headers={"Referer": self.host + "/ho-so/tiep-nhan/"},
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302 or "/dang-nhap/" in answer.headers.get("Location", ""):
                answer.failure(f"receipt answered {answer.status_code} {answer.headers.get('Location', '')}")


class Citizen(HttpUser):
    weight = 4
    wait_time = between(1, 4)

    @task(2)
    def lookup(self):
        code, digits = random.choice(CONFIG["lookups"])
        page = self.client.get("/tra-cuu/", name="citizen: lookup form")
        token = _token(page)
        if not token:
            return
        with self.client.post(
            "/tra-cuu/",
            data={"csrfmiddlewaretoken": token, "code": code, "phone_last_digits": digits},
            name="citizen: lookup (POST)",
            headers={"Referer": self.host + "/tra-cuu/"},
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"lookup answered {answer.status_code}")
                return
        self.client.get(answer.headers["Location"], name="citizen: lookup result")

    @task(2)
    def catalogue(self):
        self.client.get("/cong-khai/thu-tuc/", name="citizen: catalogue")

    @task(1)
    def procedure(self):
        pk = random.choice(CONFIG["procedures"])
        self.client.get(f"/cong-khai/thu-tuc/{pk}/", name="citizen: procedure page")

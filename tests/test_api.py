"""REST API v1, reads and access: tokens (hashed, revocable, expiring), the `cchc api client`
command, the schema and viewer, every read endpoint's status codes, shapes, paging, filters and
ordering, and unit isolation (a client of one province sees nothing of another)."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cchc.api.models import ApiClient
from cchc.api.services import client_revoke
from cchc.api.tokens import token_hash
from cchc.core.actors import SYSTEM, ActorKind
from cchc.core.models import AuditEntry
from cchc.index766.models import Snapshot
from cchc.plans import services as plan_services
from cchc.plans.models import PlanKind
from cchc.targets.services import target_bind

from .api_support import Api, register
from .conftest import raises_code
from .test_dossiers_support import make_procedure

READ_LISTS = ["/units", "/procedures", "/plans", "/tasks", "/assignments", "/index766"]


@pytest.fixture
def world(tree, users, issued_plan):
    """Province P75 with an issued plan (targets, tasks, assignments), a procedure and a 766
    result; province P80 with the same kinds of things, none of which a P75 client may see."""
    year = issued_plan.from_year
    target = issued_plan.targets.order_by("position").first()
    target_bind(actor=users.coordinator, target=target, indicator="nhiem_vu:hoan_thanh")
    make_procedure(tree.agency("STP"))
    make_procedure(tree.other_commune, code="2.000001", name="Thủ tục của tỉnh khác", level="commune")
    foreign = plan_services.plan_create(
        actor=users.foreign_coordinator,
        issuer=tree.other_province,
        title=f"Kế hoạch CCHC năm {year} của Tây Ninh",
        from_year=year,
        to_year=year,
        kind=PlanKind.ANNUAL,
    )
    plan_services.task_save(
        actor=users.foreign_coordinator,
        plan=foreign,
        number="1",
        area="the_che",
        content="Nhiệm vụ của tỉnh khác.",
        lead_units=[tree.other_commune],
        deadline_text=f"Quý I/{year}",
    )
    plan_services.plan_issue(actor=users.foreign_coordinator, plan=foreign)
    for unit, total in (
        (tree.province, "81.50"),
        (tree.communes[0], "77.25"),
        (tree.other_province, "90.00"),
    ):
        Snapshot.objects.create(
            unit=unit,
            period=f"{year}-Q1",
            total=Decimal(total),
            publicity=10,
            progress=20,
            online=15,
            digitisation=10,
            satisfaction=20,
            payment=6.5,
            computed_at=timezone.now(),
        )
    world = type("World", (), {})()
    world.tree, world.plan, world.foreign, world.year = tree, issued_plan, foreign, year
    world.client, world.token = register(tree.province, "read")
    world.api = Api(world.token)
    return world


# --- authentication and clients --------------------------------------------------------------------


def test_token_is_stored_hashed_and_shown_once(tree):
    client, token = register(tree.province, "write")
    assert token.startswith("cchc_") and len(token) > 40
    stored = ApiClient.objects.get(pk=client.pk)
    assert stored.token_hash == token_hash(token) and token not in stored.token_hash
    assert stored.token_prefix == token[:11]
    entry = AuditEntry.objects.get(action="api.client_register")
    assert token not in str(entry.after) and entry.after["scope"] == "write"


@pytest.mark.parametrize("path", READ_LISTS + ["/units/P75", "/indicators"])
def test_no_token_a_wrong_one_a_revoked_one_and_an_expired_one_get_401(tree, path):
    client, token = register(tree.province)
    assert Api(token).get(path).status_code == 200
    assert Api(None).get(path).status_code == 401
    assert Api("cchc_" + "x" * 43).get(path).json()["code"] == "api_token_invalid"
    client_revoke(actor=SYSTEM, client=client)
    assert Api(token).get(path).status_code == 401
    expiring, token2 = register(
        tree.province, name="Sắp hết hạn", expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    assert Api(token2).get(path).status_code == 200
    ApiClient.objects.filter(pk=expiring.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = Api(token2).get(path)
    assert response.status_code == 401 and response.json()["code"] == "api_token_invalid"


def test_register_refuses_bad_input(tree):
    register(tree.province, name="Một cửa")
    with raises_code("api_client_invalid"):
        register(tree.province, name="Một cửa")
    with raises_code("api_client_invalid"):
        register(tree.province, scope="admin", name="Khác")
    with raises_code("api_client_invalid"):
        register(tree.former, name="Cũ")
    with raises_code("api_client_invalid"):
        register(tree.province, name="Hết hạn", expires_at=timezone.now() - dt.timedelta(days=1))


def test_only_an_administrator_of_the_unit_registers(tree, users):
    from cchc.api.services import client_register

    with pytest.raises(Exception) as excinfo:
        client_register(actor=users.coordinator, name="X", unit=tree.province, scope="read")
    assert "quản trị" in str(excinfo.value)
    r = client_register(actor=users.admin, name="Y", unit=tree.province, scope="read")
    assert r.client.created_by == users.admin


def test_command_prints_the_token_and_refuses_bad_input(tree):
    out = io.StringIO()
    call_command(
        "api_client",
        "Hệ thống một cửa",
        "--unit",
        "P75",
        "--scope",
        "write",
        "--expires",
        "31/12/2099",
        stdout=out,
    )
    token = out.getvalue().strip()
    assert "\n" not in token and token.startswith("cchc_")
    client = ApiClient.objects.get(token_hash=token_hash(token))
    assert client.scope == "write" and client.unit == tree.province and client.expires_at.year == 2099
    assert Api(token).get("/units/P75").status_code == 200
    out = io.StringIO()
    call_command("api_revoke", "Hệ thống một cửa", stdout=out)
    assert Api(token).get("/units/P75").status_code == 401


@pytest.mark.parametrize(
    "args, message",
    [
        (["X", "--unit", "NOPE", "--scope", "read"], "không có đơn vị"),
        (["X", "--unit", "P75", "--scope", "all"], "read"),
        (["X", "--unit", "P75", "--scope", "read", "--expires", "2099-12-31"], "dd/mm/yyyy"),
        (["X", "--scope", "read"], "--unit"),
    ],
)
def test_command_bad_input_is_one_line_on_stderr_and_exit_2(tree, capsys, args, message):
    with pytest.raises(SystemExit) as excinfo:
        call_command("api_client", *args)
    assert excinfo.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("cchc api client: ") and err.count("\n") == 1 and message in err


def test_the_cchc_command_runs_this_worktree(tmp_path):
    """`cchc api client` from the shell: bad input → exit 2, one line (no database needed to refuse)."""
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from cchc.cli import main; sys.exit(main())", "api", "client"],
        capture_output=True,
        text=True,
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "PATH": "/usr/bin:/bin",
            "CCHC_DATA_DIR": str(tmp_path),
        },
    )
    assert (
        done.returncode == 2 and done.stderr.startswith("cchc api client: ") and done.stderr.count("\n") == 1
    )


def test_writes_of_a_client_are_audited_with_the_client_as_actor(world):
    client, token = register(world.tree.province, "write", name="Quản lý văn bản")
    assignment = world.plan.tasks.get(number="1").assignments.get()
    response = Api(token).post(
        "/progress-updates",
        {"updates": [{"assignment_id": assignment.pk, "percent": 40, "narrative": "Đã rà soát 40%."}]},
    )
    assert response.status_code == 200 and response.json()["applied"] == 1
    entry = AuditEntry.objects.filter(action="progress.post").latest("id")
    assert entry.actor_kind == ActorKind.API_CLIENT and entry.actor_id is None
    assert (entry.client_id, entry.client_name) == (client.pk, "Quản lý văn bản")


# --- the schema and its viewer -----------------------------------------------------------------------


def test_schema_and_docs_are_served_without_a_cdn(db):
    http = Api(None).http
    schema = http.get("/api/v1/schema/")
    assert schema.status_code == 200 and schema.json()["openapi"].startswith("3.")
    paths = schema.json()["paths"]
    for path in (
        "/api/v1/units",
        "/api/v1/plans/{plan_id}/targets",
        "/api/v1/indicators/values",
        "/api/v1/dossier-events",
        "/api/v1/progress-updates",
    ):
        assert path in paths
    assert "BearerAuth" in str(schema.json()["components"]["securitySchemes"]) or "ClientAuth" in str(
        schema.json()["components"]["securitySchemes"]
    )
    docs = http.get("/api/v1/docs/")
    html = docs.content.decode()
    assert docs.status_code == 200 and "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html


# --- read endpoints: shapes, paging, filters, ordering ---------------------------------------------------


def test_units_paging_filters_and_ordering(world):
    api = world.api
    body = api.get("/units", limit=5).json()
    assert body["count"] == 30 and len(body["items"]) == 5 and body["items"][0]["code"] == "P75"
    assert set(body["items"][0]) == {
        "code",
        "name",
        "short_name",
        "kind",
        "parent_code",
        "depth",
        "valid_from",
        "valid_to",
    }
    second = api.get("/units", limit=5, offset=5).json()["items"]
    assert not {u["code"] for u in second} & {u["code"] for u in body["items"]}
    communes = api.get("/units", kind="commune", ordering="-code").json()["items"]
    assert [u["code"] for u in communes] == ["W00003", "W00002", "W00001"]
    assert [u["code"] for u in api.get("/units", parent="P75.VP").json()["items"]] == ["P75.TTPVHCC"]
    historical = api.get("/units", current="false").json()["items"]
    assert historical and all(u["valid_to"] for u in historical)
    assert api.get("/units", ordering="secret").status_code == 422
    assert api.get("/units", limit=0).status_code == 422
    assert api.get("/units", limit=501).status_code == 422
    assert api.get("/units", offset=10**12).status_code == 422
    assert api.get("/units", current="perhaps").status_code == 422


def test_unit_detail(world):
    body = world.api.get("/units/P75.TTPVHCC").json()
    assert body["parent_code"] == "P75.VP" and body["kind"] == "subunit"
    assert world.api.get("/units/NOPE").status_code == 404


def test_procedures(world):
    items = world.api.get("/procedures").json()["items"]
    assert [(p["code"], p["agency_code"], p["time_unit"]) for p in items] == [
        ("1.001193", "P75.STP", "working_day")
    ]
    assert Decimal(items[0]["processing_time"]) == 5 and items[0]["fee_amount"] == 50_000
    assert world.api.get("/procedures", field="nothing").json()["count"] == 0
    assert world.api.get("/procedures", agency="P75.STP").json()["count"] == 1
    assert world.api.get("/procedures", agency="W09999").status_code == 404


def test_plans_and_their_targets_with_status(world):
    api = world.api
    plans = api.get("/plans").json()
    assert plans["count"] == 1 and plans["items"][0]["id"] == world.plan.pk
    assert plans["items"][0]["issuer_code"] == "P75" and plans["items"][0]["status"] == "issued"
    assert api.get("/plans", year=world.year + 5).json()["count"] == 0
    assert api.get("/plans", status="draft").json()["count"] == 0
    assert api.get("/plans", year=99999).status_code == 422
    assert api.get(f"/plans/{world.plan.pk}").json()["title"] == world.plan.title
    targets = api.get(f"/plans/{world.plan.pk}/targets").json()
    assert targets["count"] == 2
    bound, unbound = targets["items"]
    assert bound["indicator"] == "nhiem_vu:hoan_thanh" and bound["measured_unit_code"] == "P75"
    assert bound["status"] in {"met", "on_track", "at_risk", "not_met", "no_data"} and bound["status_label"]
    assert unbound["indicator"] is None and unbound["status"] == "unbound"
    assert api.get(f"/plans/{world.plan.pk}/targets", status="unbound").json()["count"] == 1


def test_tasks_and_assignments(world):
    api = world.api
    tasks = api.get("/tasks", plan_id=world.plan.pk).json()
    assert tasks["count"] == 3
    first = tasks["items"][0]
    assert first["content"] == "Rà soát văn bản quy phạm pháp luật."
    assert {"unit_code": "P75.STP", "role": "lead"} in first["units"]
    assert api.get("/tasks", unit="P75.SKHCN").json()["count"] == 1
    assert [t["number"] for t in api.get("/tasks", ordering="-position").json()["items"]] == ["3", "2", "1"]
    assignments = api.get("/assignments", unit="P75.STP").json()
    assert assignments["count"] == 2 and {a["unit_code"] for a in assignments["items"]} == {"P75.STP"}
    assert set(assignments["items"][0]) == {
        "id",
        "task_id",
        "plan_id",
        "unit_code",
        "percent",
        "last_reported_on",
        "completed_on",
        "updates_count",
    }


def test_indicators_any_source_and_their_values(world):
    api = world.api
    codes = {s["code"]: s for s in api.get("/indicators").json()}
    assert {"dung_han", "nhiem_vu:hoan_thanh", "766"} <= set(codes)
    body = api.get(
        "/indicators/values", indicator="766", unit="P75", period=[f"{world.year}-Q1", f"{world.year}-Q2"]
    ).json()
    assert body["source"]["family"] == "766" and body["unit_code"] == "P75"
    assert [(v["period"], v["value"]) for v in body["values"]] == [
        (f"{world.year}-Q1", "81.50"),
        (f"{world.year}-Q2", None),
    ]
    tasks = api.get(
        "/indicators/values", indicator="nhiem_vu:hoan_thanh", unit="P75", period=[str(world.year)]
    ).json()
    assert tasks["values"][0]["period"] == str(world.year)
    assert (
        api.get("/indicators/values", indicator="dung_han", unit="P75", period=["BC-2026-Q1"]).status_code
        == 400
    )
    assert api.get("/indicators/values", indicator="khong_co", unit="P75", period=["2026"]).status_code == 400
    assert (
        api.get("/indicators/values", indicator="dung_han", unit="P75", period=["2026"] * 25).status_code
        == 400
    )
    assert api.get("/indicators/values", indicator="dung_han", unit="P75").status_code == 422


def test_index766_results(world):
    body = world.api.get("/index766").json()
    assert [(r["unit_code"], r["total"]) for r in body["items"]] == [("P75", "81.50"), ("W00001", "77.25")]
    assert world.api.get("/index766", ordering="total").json()["items"][0]["unit_code"] == "W00001"
    assert world.api.get("/index766", unit="W00001").json()["count"] == 1
    assert world.api.get("/index766", period="1999-Q1").json()["count"] == 0


def test_list_queries_do_not_grow_with_rows(world):
    world.api.get("/units")  # the first call of the minute starts the rate counter and notes "last used"
    for path in READ_LISTS:
        with CaptureQueriesContext(connection) as few:
            world.api.get(path, limit=1)
        with CaptureQueriesContext(connection) as many:
            world.api.get(path, limit=500)
        assert len(many) == len(few), path


# --- isolation: a client sees its subtree only ------------------------------------------------------------


def test_a_client_of_another_province_sees_nothing_of_this_one(world):
    client, token = register(world.tree.other_province, name="Tây Ninh")
    api = Api(token)
    units = {u["code"] for u in api.get("/units", limit=500).json()["items"]}
    assert units == {"P80", "W09999"}
    assert [p["code"] for p in api.get("/procedures").json()["items"]] == ["2.000001"]
    assert [p["id"] for p in api.get("/plans").json()["items"]] == [world.foreign.pk]
    assert api.get(f"/plans/{world.plan.pk}").status_code == 404
    assert api.get(f"/plans/{world.plan.pk}/targets").status_code == 404
    assert {t["plan_id"] for t in api.get("/tasks").json()["items"]} == {world.foreign.pk}
    assert api.get("/tasks", plan_id=world.plan.pk).json()["count"] == 0
    assert {a["unit_code"] for a in api.get("/assignments").json()["items"]} == {"W09999"}
    assert [r["unit_code"] for r in api.get("/index766").json()["items"]] == ["P80"]
    assert api.get("/units/P75").status_code == 404
    assert api.get("/indicators", unit="P75").status_code == 404
    assert api.get("/indicators/values", indicator="766", unit="P75", period=["2026"]).status_code == 404
    for path, params in (
        ("/units", {"parent": "P75"}),
        ("/procedures", {"agency": "P75.STP"}),
        ("/tasks", {"unit": "P75.STP"}),
        ("/assignments", {"unit": "P75.STP"}),
        ("/index766", {"unit": "P75"}),
        ("/plans", {"issuer": "P75"}),
    ):
        assert api.get(path, **params).status_code == 404, path


def test_a_commune_client_sees_its_commune_only(world):
    client, token = register(world.tree.communes[0], name="Phường Đồng Xoài")
    api = Api(token)
    assert [u["code"] for u in api.get("/units").json()["items"]] == ["W00001"]
    assert [r["unit_code"] for r in api.get("/index766").json()["items"]] == ["W00001"]
    assert {a["unit_code"] for a in api.get("/assignments").json()["items"]} == {"W00001"}
    assert api.get("/procedures").json()["count"] == 0
    assert api.get("/units/P75").status_code == 404


def test_a_read_client_cannot_write(world):
    assignment = world.plan.tasks.get(number="1").assignments.get()
    for path, body in (
        (
            "/progress-updates",
            {"updates": [{"assignment_id": assignment.pk, "percent": 10, "narrative": "x"}]},
        ),
        (
            "/dossier-events",
            {
                "events": [
                    {"event_id": "e1", "kind": "resume", "dossier_code": "X", "at": "2026-03-02T09:00:00"}
                ]
            },
        ),
    ):
        response = world.api.post(path, body)
        assert response.status_code == 403 and response.json()["code"] == "api_scope_write_required", path
    assignment.refresh_from_db()
    assert assignment.updates_count == 0


def test_a_signed_in_session_is_not_an_api_credential(world, users):
    from django.test import Client

    browser = Client()
    browser.force_login(users.admin)
    response = browser.get("/api/v1/units")
    assert response.status_code == 401 and response.json()["code"] == "api_token_invalid"


def test_rate_limit_per_client_in_the_shared_cache(world):
    from unittest import mock

    client, token = register(world.tree.province, name="Giới hạn", rate_per_minute=3)
    api, other = Api(token), world.api
    with mock.patch("cchc.api.auth.time.time", return_value=1_800_000_000.0):  # one minute
        assert [api.get("/units/P75").status_code for _ in range(3)] == [200, 200, 200]
        refused = api.get("/units/P75")
        assert refused.status_code == 429 and refused.json()["code"] == "api_rate_limited"
        assert refused["Retry-After"] == "60"
        assert other.get("/units/P75").status_code == 200  # another client counts on its own
    with mock.patch("cchc.api.auth.time.time", return_value=1_800_000_060.0):  # the next minute
        assert api.get("/units/P75").status_code == 200


def test_text_the_database_cannot_store_is_refused(client, tree):
    """A NUL or a lone surrogate in a body or a query answers 422 (PostgreSQL refused them
    with a server error)."""
    token = register(tree.province, "write", name="Kiểm thử NUL")[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    r = client.get("/api/v1/units", {"code": "P75\x00"}, **auth)
    assert r.status_code == 422 and r.json()["code"] == "api_request_invalid"
    body = '{"events": [{"kind": "step", "event_id": "e\\u0000", "dossier_code": "\\ud800x", "at": "2026-01-01T08:00:00+07:00"}]}'
    r = client.post("/api/v1/dossier-events", body, content_type="application/json", **auth)
    assert r.status_code == 422 and "NUL" in r.json()["message"] + str(r.json().get("errors"))

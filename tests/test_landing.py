"""Each role lands where its work is (cchc.portal.landing): the leader on a dashboard, the
commune leader on the commune's figures, the one-stop desk officer on the dossier queue."""

from __future__ import annotations

from cchc.core.actors import SYSTEM
from cchc.orgs.models import Role
from cchc.orgs.services import user_create

from .conftest import PASSWORD
from .test_dossiers_support import make_world


def landing(client, username: str) -> str:
    client.logout()
    assert client.login(username=username, password=PASSWORD)
    response = client.get("/")
    assert response.status_code == 302
    return response["Location"]


def test_each_role_lands_on_its_own_page(client, tree, users):
    ward_leader = user_create(
        actor=SYSTEM,
        username="lanhdao.xa",
        password=PASSWORD,
        full_name="Bùi Thanh Sơn",
        roles=[(tree.communes[0], Role.LEADER)],
    )
    assert landing(client, users.admin.username) == "/ke-hoach/"
    assert landing(client, users.coordinator.username) == "/ke-hoach/"
    assert landing(client, users.leader.username) == "/chi-so/"
    assert landing(client, ward_leader.username) == f"/chi-so/?don_vi={tree.communes[0].pk}"
    assert landing(client, users.officer.username) == "/theo-doi/cua-toi/"


def test_the_desk_officer_lands_on_the_dossier_queue(client, tree, users, issued_plan):
    world = make_world(tree, users)  # the desk officer of Trung tâm Phục vụ hành chính công tỉnh
    assert landing(client, world.desk_officer.username) == "/theo-doi/cua-toi/"  # nothing received yet
    dossier = world.receive()
    assert landing(client, world.desk_officer.username) == "/ho-so/"
    queue = client.get("/ho-so/")
    assert queue.status_code == 200 and dossier.code in queue.content.decode()
    # an agency officer who reports tasks and also receives at the agency's desk keeps "my tasks"
    world.receive(receiving_unit=world.agency, actor=users.officer)
    assert landing(client, users.officer.username) == "/theo-doi/cua-toi/"


def test_the_ward_leader_sees_the_wards_figures(client, tree, users):
    user_create(
        actor=SYSTEM,
        username="lanhdao.xa",
        password=PASSWORD,
        full_name="B",
        roles=[(tree.communes[0], Role.LEADER)],
    )
    client.login(username="lanhdao.xa", password=PASSWORD)
    page = client.get("/", follow=True)
    assert page.status_code == 200
    assert tree.communes[0].name in page.content.decode()

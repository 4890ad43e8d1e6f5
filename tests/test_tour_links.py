"""What the tour of the demo found (issue 14): a link offered to a person must open for them —
an officer is not offered a plan's progress dashboard, which answers 403 to officers."""

from __future__ import annotations

from .conftest import PASSWORD


def test_the_progress_dashboard_is_offered_only_to_who_may_open_it(client, issued_plan, users):
    link = f'href="/theo-doi/ke-hoach/{issued_plan.pk}/"'
    client.login(username=users.officer.username, password=PASSWORD)
    assert client.get(f"/theo-doi/ke-hoach/{issued_plan.pk}/").status_code == 403
    for page in ("/ke-hoach/", f"/ke-hoach/{issued_plan.pk}/"):
        assert link not in client.get(page).content.decode(), page
    client.login(username=users.coordinator.username, password=PASSWORD)
    assert client.get(f"/theo-doi/ke-hoach/{issued_plan.pk}/").status_code == 200
    for page in ("/ke-hoach/", f"/ke-hoach/{issued_plan.pk}/"):
        assert link in client.get(page).content.decode(), page

"""A refusal (403) is a portal page in the reader's language with a way on, and the header
offers no link that would lead a moderator to one: the dashboard to those who work for an
organisation, moderation to staff."""

import re

import pytest

from accmr.members.models import Membership

pytestmark = pytest.mark.django_db


def account_links(page: str) -> list[str]:
    nav = re.search(r'<div class="account-nav">.*?</div>', page, re.S).group(0)
    return re.findall(r'<a href="([^"]+)"', nav)


@pytest.mark.parametrize(
    ("prefix", "heading", "moderation", "home"),
    [
        ("", "Δεν έχετε πρόσβαση σε αυτή τη σελίδα", "Μετάβαση στον έλεγχο περιεχομένου", "/"),
        ("/en", "You may not open this page", "Go to moderation", "/en/"),
    ],
)
def test_a_refusal_is_a_translated_portal_page_with_a_way_on(
    client, admin_user, prefix, heading, moderation, home
):
    client.force_login(admin_user)
    response = client.get(prefix + "/dashboard/")
    assert response.status_code == 403
    page = response.content.decode()
    assert f"<h1>{heading}</h1>" in page and page.count("<h1") == 1
    assert 'class="site-header"' in page and 'class="site-footer"' in page
    assert f'lang="{"en" if prefix else "el"}"' in page
    assert f'<a href="{prefix}/admin/">{moderation}</a>' in page
    assert f'<a href="{home}">' in page
    assert "403 Forbidden" not in page


def test_an_editor_refused_an_admins_action_is_led_back_to_the_dashboard(client, alice, bob):
    client.force_login(bob)
    removal = f"/dashboard/editors/{Membership.objects.get(user=alice).pk}/remove/"
    response = client.post(removal)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Επιστροφή στον πίνακα ελέγχου" in page
    assert "/admin/" not in page


@pytest.mark.parametrize(("prefix", "label"), [("", "Έλεγχος περιεχομένου"), ("/en", "Moderation")])
def test_a_moderator_without_an_organisation_is_offered_moderation_not_the_dashboard(
    client, admin_user, prefix, label
):
    client.force_login(admin_user)
    for path in ["/", "/services/", "/accounts/password/change/"]:
        page = client.get(prefix + path).content.decode()
        assert account_links(page) == [f"{prefix}/admin/"], path
        assert f'<a href="{prefix}/admin/">{label}</a>' in page, path


def test_the_header_offers_the_dashboard_to_editors_and_both_to_an_editing_moderator(
    client, bob, organisation, admin_user
):
    client.force_login(bob)
    assert account_links(client.get("/").content.decode()) == ["/dashboard/"]
    assert account_links(client.get("/dashboard/").content.decode()) == ["/dashboard/"]
    Membership.objects.create(user=admin_user, organisation=organisation)
    client.force_login(admin_user)
    assert account_links(client.get("/").content.decode()) == ["/dashboard/", "/admin/"]
    client.logout()
    assert account_links(client.get("/").content.decode()) == ["/accounts/login/"]

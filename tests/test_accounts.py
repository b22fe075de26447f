import io
import os
import re
from datetime import datetime, timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from accmr.members.models import Membership, Organisation
from accmr.members.tokens import email_confirmation
from accmr.taxonomy.models import ActorType, Category, District

from .factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
REGISTER = "/accounts/register/"
STRONG = "Kypseli-Fokionos-2026"


def png(size=(40, 40)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 80, 160)).save(buffer, "PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def registration(**overrides):
    data = {
        "name_el": "Σύλλογος Αλληλεγγύης Κυψέλης",
        "name_en": "Kypseli Solidarity Association",
        "actor_type": ActorType.objects.get(slug="greek-ngo").pk,
        "description_el": "Μαθήματα ελληνικών και διανομή τροφίμων.",
        "description_en": "",
        "website": "https://solidarity.example.org",
        "email": "info@solidarity.example.org",
        "phone": "+30 210 0000000",
        "address_el": "Φωκίωνος Νέγρη 20",
        "district": District.objects.get(slug="6").pk,
        "activity_fields": [Category.objects.get(slug="education").pk],
        "preferred_language": "en",
        "full_name": "Ελένη Παπά",
        "user_email": "Eleni@Solidarity.example.org",
        "password1": STRONG,
        "password2": STRONG,
        "consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_registration_creates_a_pending_organisation_and_sends_both_mails(
    client, admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGISTER, registration())
    assert response.status_code == 200
    assert "eleni@solidarity.example.org" in response.content.decode()
    organisation = Organisation.objects.get(name_el="Σύλλογος Αλληλεγγύης Κυψέλης")
    assert organisation.approval == Organisation.Approval.PENDING and not organisation.trusted
    assert list(organisation.activity_fields.values_list("slug", flat=True)) == ["education"]
    user = User.objects.get(email="eleni@solidarity.example.org")
    assert not user.is_active and user.first_name == "Ελένη"
    assert Membership.objects.get(user=user).role == Membership.Role.ADMIN
    assert {tuple(m.to) for m in mailoutbox} == {
        ("eleni@solidarity.example.org",),
        ("admin@example.org",),  # the superuser moderates
    }
    confirm = next(m for m in mailoutbox if m.to == ["eleni@solidarity.example.org"])
    assert "Επιβεβαιώστε" in confirm.subject  # the page was Greek, so is the mail
    notice = next(m for m in mailoutbox if m.to == ["admin@example.org"])
    assert f"/admin/members/organisation/{organisation.pk}/change/" in notice.body


def test_the_confirmation_link_activates_once_then_says_so(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en" + REGISTER, registration())
    link = link_in(mailoutbox[0])
    assert "/en/accounts/confirm/" in link and "Confirm" in mailoutbox[0].subject
    response = client.get(link, follow=True)
    assert "your e-mail address is confirmed" in response.content.decode()
    assert User.objects.get(email="eleni@solidarity.example.org").is_active
    again = client.get(link, follow=True).content.decode()
    assert "already confirmed" in again
    response = client.post(
        "/en/accounts/login/", {"username": "eleni@solidarity.example.org", "password": STRONG}
    )
    assert response.status_code == 302


def test_expired_or_forged_confirmation_links_change_nothing(
    client, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REGISTER, registration())
    link = link_in(mailoutbox[0])
    monkeypatch.setattr(email_confirmation, "_now", lambda: datetime.now() + timedelta(days=4))
    response = client.get(link, follow=True)
    assert "έχει λήξει ή δεν είναι έγκυρος" in response.content.decode()
    assert not User.objects.get(email="eleni@solidarity.example.org").is_active
    monkeypatch.undo()
    forged = link.rstrip("/").rsplit("/", 1)[0] + "/not-a-token/"
    assert client.get(forged).status_code == 302
    assert client.get("/accounts/confirm/bad!/x/").status_code == 302
    assert not User.objects.get(email="eleni@solidarity.example.org").is_active


def test_a_new_confirmation_link_can_be_requested_without_revealing_accounts(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REGISTER, registration())
        known = client.post("/accounts/confirm/resend/", {"email": "ELENI@solidarity.example.org"})
        unknown = client.post("/accounts/confirm/resend/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert len([m for m in mailoutbox if m.to == ["eleni@solidarity.example.org"]]) == 2


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name_el": "ΣΎΛΛΟΓΟΣ αλληλεγγύης κυψέλης"}, "name_el", "Υπάρχει ήδη εγγεγραμμένος"),
        ({"password1": "123", "password2": "123"}, "password1", "πολύ μικρός"),
        ({"password2": "different-Password-1"}, "password2", "δεν ταιριάζουν"),
        ({"consent": None}, "consent", "Τσεκάρετε αυτό το πλαίσιο για να συνεχίσετε."),
        (
            {"description_el": ""},
            "description_el",
            "Συμπληρώστε το πεδίο «Περιγραφή στα ελληνικά».",
        ),
        ({"actor_type": "999"}, "actor_type", "έγκυρη επιλογή"),
    ],
)
def test_bad_registrations_get_a_clear_message_keep_the_input_and_change_nothing(
    client, overrides, field, message, mailoutbox
):
    OrganisationFactory(name_el="Σύλλογος Αλληλεγγύης Κυψέλης", slug="existing")
    UserFactory(username="taken", email="taken@example.org")
    before = (Organisation.objects.count(), User.objects.count())
    data = registration(**overrides)
    if field == "name_el":
        Organisation.objects.filter(slug="existing").update(name_el="Άλλο")
        OrganisationFactory(name_el="Σύλλογος Αλληλεγγύης Κυψέλης")
        before = (Organisation.objects.count(), User.objects.count())
    response = client.post(REGISTER, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    assert (Organisation.objects.count(), User.objects.count()) == before
    assert mailoutbox == []
    html = response.content.decode()
    assert 'value="https://solidarity.example.org"' in html  # what was typed stays
    assert STRONG not in html  # passwords are never echoed back


def test_a_large_file_that_is_not_an_image_is_refused(client):
    fake = SimpleUploadedFile(
        "logo.png", b"%PDF-1.7 " + b"0" * (10 * 1024 * 1024), content_type="image/png"
    )
    response = client.post(REGISTER, {**registration(), "logo": fake})
    assert response.status_code == 200
    assert "logo" in response.context["form"].errors
    assert not Organisation.objects.exists()


def test_an_oversized_image_is_refused_and_a_small_one_kept(client):
    noise = Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000))
    buffer = io.BytesIO()
    noise.save(buffer, "PNG")
    big = SimpleUploadedFile("big.png", buffer.getvalue(), content_type="image/png")
    response = client.post(REGISTER, {**registration(), "logo": big})
    assert "2 MB" in " ".join(response.context["form"].errors["logo"])
    client.post(REGISTER, {**registration(), "logo": png()})
    assert Organisation.objects.get().logo.name.startswith("private/logos/")


def test_registration_refuses_a_post_without_csrf_token():
    response = Client(enforce_csrf_checks=True).post(REGISTER, registration())
    assert response.status_code == 403
    assert not Organisation.objects.exists()


def test_repeated_failed_logins_are_throttled(client):
    UserFactory(username="eleni@example.org", email="eleni@example.org")
    for _ in range(5):
        response = client.post(
            "/accounts/login/", {"username": "eleni@example.org", "password": "wrong"}
        )
    assert response.status_code == 429
    assert "Πάρα πολλές αποτυχημένες συνδέσεις" in response.content.decode()
    right = client.post(
        "/accounts/login/",
        {"username": "eleni@example.org", "password": "correct horse battery staple"},
    )
    assert right.status_code == 429  # still locked, even with the right password


def test_unconfirmed_accounts_cannot_log_in(client):
    UserFactory(username="new@example.org", email="new@example.org", is_active=False)
    response = client.post(
        "/accounts/login/",
        {"username": "new@example.org", "password": "correct horse battery staple"},
    )
    assert response.status_code == 200
    assert not response.context["user"].is_authenticated


def test_password_reset_mail_follows_the_page_language(client, mailoutbox):
    UserFactory(username="eleni@example.org", email="eleni@example.org")
    client.post("/en/accounts/password/reset/", {"email": "eleni@example.org"})
    assert mailoutbox[0].subject == "Reset your password on the ACCMR portal"
    assert "/en/accounts/password/reset/" in mailoutbox[0].body


def test_password_change_requires_login_and_works(client):
    user = UserFactory(username="eleni@example.org", email="eleni@example.org")
    assert client.get("/accounts/password/change/").status_code == 302
    client.force_login(user)
    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": "correct horse battery staple",
            "new_password1": STRONG,
            "new_password2": STRONG,
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(STRONG)


def test_admin_approval_and_rejection_mail_the_organisation_in_its_language(
    admin_client, mailoutbox, django_capture_on_commit_callbacks
):
    greek = OrganisationFactory(approval=Organisation.Approval.PENDING, email="el@example.org")
    english = OrganisationFactory(
        approval=Organisation.Approval.PENDING, email="en@example.org", preferred_language="en"
    )
    url = reverse("admin:members_organisation_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, {"action": "approve", ACTION_CHECKBOX_NAME: [greek.pk]})
        page = admin_client.post(url, {"action": "reject", ACTION_CHECKBOX_NAME: [english.pk]})
        assert "Αιτιολογία" in page.content.decode()
        admin_client.post(
            url,
            {
                "action": "reject",
                ACTION_CHECKBOX_NAME: [english.pk],
                "apply": "1",
                "reason": "Not in Athens",
            },
        )
    greek.refresh_from_db()
    english.refresh_from_db()
    assert greek.is_approved
    assert english.approval == Organisation.Approval.REJECTED
    assert english.approval_note == "Not in Athens"
    approved, rejected = mailoutbox
    assert approved.to == ["el@example.org"] and "εγκρίθηκε" in approved.subject
    assert rejected.to == ["en@example.org"] and "Not in Athens" in rejected.body
    assert "could not approve" in rejected.body


def test_account_pages_exist_in_both_languages(client):
    for path in [
        "/accounts/login/",
        "/accounts/register/",
        "/accounts/password/reset/",
        "/accounts/confirm/resend/",
    ]:
        assert client.get(path).status_code == 200
        assert client.get("/en" + path).status_code == 200
    assert "Εγγραφή του οργανισμού σας" in client.get(REGISTER).content.decode()
    assert "Register your organisation" in client.get("/en" + REGISTER).content.decode()


def fail_logins(client, username, times, **headers):
    for _ in range(times):
        response = client.post(
            "/accounts/login/", {"username": username, "password": "wrong"}, **headers
        )
    return response


def right_login(client, username, **headers):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": "correct horse battery staple"},
        **headers,
    )


def test_behind_the_proxy_a_lockout_is_of_the_attackers_address_only(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1  # BEHIND_PROXY=true: nginx appends the client address
    UserFactory(username="eleni@example.org", email="eleni@example.org")
    proxy = {"REMOTE_ADDR": "10.0.0.2"}  # every request arrives from the proxy
    attacker = {**proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    assert fail_logins(client, "eleni@example.org", 5, **attacker).status_code == 429
    # The real user, behind the same proxy, is not locked out; the attacker still is,
    # even when writing another address in front of the one the proxy appended.
    eleni = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert right_login(Client(), "eleni@example.org", **eleni).status_code == 302
    spoofed = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.7, 203.0.113.9"}
    assert right_login(Client(), "eleni@example.org", **spoofed).status_code == 429


def test_without_a_proxy_a_forwarded_header_cannot_dodge_the_lockout(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0  # exposed directly: only REMOTE_ADDR counts
    UserFactory(username="eleni@example.org", email="eleni@example.org")
    for n in range(5):
        response = fail_logins(client, "eleni@example.org", 1, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert response.status_code == 429
    other = right_login(Client(), "eleni@example.org", HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert other.status_code == 429
    elsewhere = right_login(Client(), "eleni@example.org", REMOTE_ADDR="198.51.100.7")
    assert elsewhere.status_code == 302


def test_registering_with_an_address_that_has_an_account_reveals_nothing_on_the_page(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(username="taken", email="taken@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        taken = client.post(REGISTER, registration(user_email="TAKEN@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        fresh = client.post(
            REGISTER, registration(name_el="Άλλος σύλλογος", user_email="new@example.org")
        )
    assert taken.status_code == fresh.status_code == 200
    # The page's own template (each request also renders its mail, queued with the data).
    pages = [[t.name for t in r.templates if "/email/" not in t.name][0] for r in (taken, fresh)]
    assert pages == ["registration/register_done.html"] * 2
    assert Organisation.objects.count() == 1  # only the new address registered
    told = [m for m in mailoutbox if m.to == ["taken@example.org"]]
    assert len(told) == 1 and "η οποία έχει ήδη λογαριασμό" in told[0].body


@pytest.mark.parametrize(
    ("site_url", "expected"),
    [
        ("", "http://127.0.0.1:8123/accounts/confirm/"),
        ("https://accmr.example.gr", "https://accmr.example.gr/accounts/confirm/"),
    ],
)
def test_e_mailed_links_point_at_the_served_address_unless_site_url_is_set(
    client, settings, mailoutbox, django_capture_on_commit_callbacks, site_url, expected
):
    settings.SITE_URL = site_url
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REGISTER, registration(), HTTP_HOST="127.0.0.1:8123")
    confirmation = next(m for m in mailoutbox if m.to == ["eleni@solidarity.example.org"])
    assert expected in confirmation.body


LOGIN = "/accounts/login/"


@pytest.mark.parametrize("typed", ["eleni@example.org", "Eleni@Example.ORG", " eleni@example.org "])
def test_login_is_by_e_mail_in_any_case_and_lands_on_the_dashboard(client, typed):
    from accmr.members.models import Membership

    from .factories import OrganisationFactory, member

    user = member("eleni", OrganisationFactory(), Membership.Role.ADMIN)
    page = client.get(LOGIN).content.decode()
    assert 'type="email"' in page and "E-mail" in page
    response = client.post(LOGIN, {"username": typed, "password": "correct horse battery staple"})
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == "/dashboard/"
    assert int(client.session["_auth_user_id"]) == user.pk


def test_a_moderator_lands_on_the_admin_and_next_is_kept(client):
    UserFactory(username="mod@example.org", email="mod@example.org", is_staff=True)
    credentials = {"username": "MOD@example.org", "password": "correct horse battery staple"}
    response = client.post(LOGIN, credentials, follow=True)
    assert response.redirect_chain[-1][0] == "/admin/"
    client.logout()
    response = client.post(LOGIN + "?next=/members/", credentials)
    assert response["Location"] == "/members/"


def test_a_failed_login_says_one_clear_thing(client):
    UserFactory(username="eleni@example.org", email="eleni@example.org")
    response = client.post(LOGIN, {"username": "eleni@example.org", "password": "wrong"})
    html = response.content.decode()
    assert html.count('role="alert"') == 1
    assert "δεν αντιστοιχούν σε λογαριασμό" in html


def test_password_rules_speak_of_the_e_mail_and_the_portals_word_for_password(client):
    page = client.get(REGISTER).content.decode()
    assert "κωδικός πρόσβασης" in page.lower() and "συνθηματικό" not in page
    response = client.post(
        REGISTER,
        registration(
            user_email="eleni.papadopoulou@example.org",
            password1="eleni.papadopoulou",
            password2="eleni.papadopoulou",
        ),
    )
    errors = " ".join(response.context["form"].errors["password1"])
    assert "μοιάζει πολύ" in errors and "όνομα χρήστη" not in errors


def test_a_password_reset_link_is_on_site_url_whatever_host_was_asked(client, settings, mailoutbox):
    settings.SITE_URL = "https://accmr.example.gr"
    settings.ALLOWED_HOSTS = ["accmr.example.gr", "other.example.net"]
    UserFactory(username="eleni@example.org", email="eleni@example.org")
    client.post(
        "/accounts/password/reset/", {"email": "eleni@example.org"}, HTTP_HOST="other.example.net"
    )
    (mail,) = mailoutbox
    assert "https://accmr.example.gr/accounts/password/reset/" in mail.body
    assert "other.example.net" not in mail.body


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("192.0.2.7", "192.0.2.7"),
        ("::ffff:192.0.2.7", "192.0.2.7"),  # IPv4 written as IPv6 is still that address
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::"),  # its /64
        ("2001:0DB8:0001:0002::1", "2001:db8:1:2::"),
        ("not an address", "not an address"),
    ],
)
def test_limits_count_an_ipv6_client_by_its_64(rf, address, key):
    from accmr.core.clients import client_key

    assert client_key(rf.get("/", REMOTE_ADDR=address)) == key


def test_new_addresses_from_one_ipv6_64_do_not_dodge_the_lockout(client, settings):
    UserFactory(username="eleni@example.org", email="eleni@example.org")
    for n in range(1, 6):
        response = fail_logins(Client(), "eleni@example.org", 1, REMOTE_ADDR=f"2001:db8:1:2::{n}")
    assert response.status_code == 429
    same_64 = right_login(Client(), "eleni@example.org", REMOTE_ADDR="2001:db8:1:2:ffff::9")
    assert same_64.status_code == 429
    other_64 = right_login(Client(), "eleni@example.org", REMOTE_ADDR="2001:db8:1:3::1")
    assert other_64.status_code == 302


@pytest.fixture
def account_limit(settings):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 8
    settings.LOGIN_ACCOUNT_LOCKOUT_MINUTES = 60


def owner(language="en"):
    from accmr.members.models import Membership

    from .factories import member

    organisation = OrganisationFactory(preferred_language=language)
    user = member("eleni", organisation, Membership.Role.ADMIN)
    user.email = user.username = "eleni@example.org"
    user.save()
    return user


def spread_guesses(times: int, start: int = 0):
    """Wrong passwords for Eleni's account, each from an address of its own."""
    for n in range(start, start + times):
        response = Client(REMOTE_ADDR=f"203.0.113.{n}").post(
            "/accounts/login/", {"username": "Eleni@Example.org", "password": "Guess-<b>-1"}
        )
    return response


def test_guesses_spread_over_many_addresses_lock_the_account_and_tell_its_owner(
    account_limit, mailoutbox, django_capture_on_commit_callbacks
):
    from accmr.members.models import LoginThrottle

    user = owner(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        assert spread_guesses(7).status_code == 200  # each address is under its own limit
        assert not mailoutbox
        locked = spread_guesses(1, start=7)
        assert locked.status_code == 429
        page = locked.content.decode()
        assert "Πάρα πολλές αποτυχημένες συνδέσεις" in page and "δοκιμάστηκαν" in page
        # From anywhere, even with the right password, until the wait is over.
        assert (
            right_login(Client(), "eleni@example.org", REMOTE_ADDR="198.51.100.7").status_code
            == 429
        )
        spread_guesses(5, start=20)  # more guesses during the lockout: one notice only
    (notice,) = mailoutbox
    assert notice.to == ["eleni@example.org"]
    assert notice.subject == "Logging in to your ACCMR portal account is paused"  # her language
    assert "8 wrong passwords" in notice.body and "/accounts/password/reset/" in notice.body
    for chosen in ("203.0.113", "Eleni@Example.org", "Guess"):  # nothing the guesser typed
        assert chosen not in notice.body and chosen not in notice.subject
    # Once the wait is over, she logs in; the next lockout lasts twice as long.
    throttle = LoginThrottle.objects.get()
    first_wait = throttle.locked_until - throttle.locked_at
    assert first_wait.total_seconds() == 3600
    LoginThrottle.objects.update(locked_until=throttle.locked_at)  # the hour has passed
    assert spread_guesses(8, start=40).status_code == 429
    throttle.refresh_from_db()
    assert (throttle.locked_until - throttle.locked_at).total_seconds() == 2 * 3600
    LoginThrottle.objects.update(locked_until=throttle.locked_at)
    logged_in = Client(REMOTE_ADDR="198.51.100.7")
    assert right_login(logged_in, "eleni@example.org").status_code == 302
    assert int(logged_in.session["_auth_user_id"]) == user.pk


def test_an_unknown_account_is_locked_the_same_way_and_nobody_is_mailed(
    account_limit, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(8):
            response = fail_logins(Client(), "nobody@example.org", 1, REMOTE_ADDR=f"192.0.2.{n}")
    assert response.status_code == 429 and not mailoutbox


def test_resetting_the_password_lifts_an_account_lockout(account_limit, mailoutbox, client):
    owner(language="el")
    spread_guesses(8)
    assert right_login(Client(), "eleni@example.org").status_code == 429
    client.post("/accounts/password/reset/", {"email": "eleni@example.org"})
    url = re.search(r"https?://\S+/accounts/password/reset/\S+", mailoutbox[-1].body).group(0)
    form = client.get(url, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Kypseli-Fokionos-2027", "new_password2": "Kypseli-Fokionos-2027"},
    )
    response = Client().post(
        "/accounts/login/", {"username": "eleni@example.org", "password": "Kypseli-Fokionos-2027"}
    )
    assert response.status_code == 302

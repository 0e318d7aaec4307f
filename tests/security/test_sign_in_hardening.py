"""Sign-in behind the proxy: a stranger cannot lock a person out, spraying is throttled,
passwords are long, idle sessions end, admin asks staff for a TOTP code when configured."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from operations.middleware import SEEN
from sheets.models import Sheet
from tests.conftest import PASSWORD

LOGIN = reverse("accounts:login")
PROXY = "127.0.0.1"


def from_client(address):
    """A request as nginx passes it on: from the proxy, the client's address appended."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": address}


@pytest.fixture
def behind_proxy(settings):
    settings.PRACTICEKB_TRUSTED_PROXIES = 1


def attempt(client, username, password, address):
    return client.post(LOGIN, {"username": username, "password": password}, **from_client(address))


@pytest.mark.usefixtures("behind_proxy")
def test_a_stranger_cannot_lock_a_user_out_from_another_address(client, editor):
    for _ in range(10):
        attempt(client, "editor", "guess", "203.0.113.66")
    assert attempt(client, "editor", PASSWORD, "203.0.113.66").status_code == 429
    # the editor, from their own address behind the same proxy, signs in
    response = attempt(client, "editor", PASSWORD, "198.51.100.20")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


@pytest.mark.usefixtures("behind_proxy")
def test_a_forged_forwarded_for_does_not_escape_the_lockout(client, staffer):
    for _ in range(5):
        attempt(client, "staffer", "guess", "203.0.113.66")
    forged = client.post(
        LOGIN,
        {"username": "staffer", "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.20, 203.0.113.66",
    )
    assert forged.status_code == 429


@pytest.mark.usefixtures("behind_proxy")
def test_password_spraying_from_one_address_is_throttled(client, settings, db):
    settings.RATELIMIT_ENABLE = True
    caches["default"].clear()
    limit = int(settings.PRACTICEKB_RATE_LIMITS["sign-in"].split("/")[0])
    statuses = [
        attempt(client, f"user{n}", "Summer2026!", "203.0.113.77").status_code
        for n in range(limit + 2)
    ]
    assert statuses[:limit] == [200] * limit
    assert statuses[limit:] == [429, 429]
    # another address is not held up
    assert attempt(client, "user0", "Summer2026!", "198.51.100.3").status_code == 200
    caches["default"].clear()


def test_passwords_need_twelve_characters():
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Kx9#mW2$pQ7")
    validate_password("Kx9#mW2$pQ7!")


def test_readers_see_a_display_name_never_a_username(client, trainer, db):
    sheet = Sheet.objects.create(owner=trainer, title="Kinship week")
    html = client.get(sheet.get_absolute_url()).content.decode()
    assert "trainer" not in html.replace("Trainer", "")
    assert "A sheet by a practicekb member" in html
    trainer.first_name, trainer.last_name = "Ada", "Lovelace"
    trainer.save()
    assert "A sheet by Ada Lovelace" in client.get(sheet.get_absolute_url()).content.decode()


def test_an_idle_session_ends_and_an_active_one_goes_on(client, staffer, settings):
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    client.force_login(staffer)
    stored = Session.objects.filter(session_key=client.session.session_key)
    assert SEEN in client.session
    # active: a request some minutes after the last save pushes the end back
    session = client.session
    session[SEEN] = int(time.time()) - settings.PRACTICEKB_SESSION_IDLE_REFRESH_SECONDS - 5
    session.save()
    stored.update(expire_date=timezone.now() + timedelta(seconds=60))
    assert client.get(reverse("home")).status_code == 200
    assert stored.get().expire_date > timezone.now() + timedelta(seconds=60)
    # a request soon after the last save writes nothing
    before = stored.get().expire_date
    client.get(reverse("principles:themes"))
    assert stored.get().expire_date == before
    # idle past the end: signed out
    stored.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("sheets:list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.fixture
def two_factor(settings):
    settings.PRACTICEKB_ADMIN_TWO_FACTOR = True


@pytest.mark.usefixtures("two_factor")
def test_admin_asks_staff_for_a_totp_code(client, editor):
    device = TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    page = client.get(reverse("admin:login"))
    assert 'name="otp_token"' in page.content.decode()
    # the password alone is not enough ...
    client.post(reverse("admin:login"), {"username": "editor", "password": PASSWORD})
    assert client.get(reverse("admin:index")).status_code == 302
    # ... a signed-in but unverified editor is sent back to admin's sign-in too
    client.force_login(editor)
    assert client.get(reverse("admin:index")).status_code == 302
    client.logout()
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    response = client.post(
        reverse("admin:login"),
        {
            "username": "editor",
            "password": PASSWORD,
            "otp_device": device.persistent_id,
            "otp_token": code,
            "next": reverse("admin:index"),
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_without_two_factor_admin_takes_the_password(client, editor, settings):
    settings.PRACTICEKB_ADMIN_TWO_FACTOR = False
    assert 'name="otp_token"' not in client.get(reverse("admin:login")).content.decode()
    client.post(reverse("admin:login"), {"username": "editor", "password": PASSWORD})
    assert client.get(reverse("admin:index")).status_code == 200


def test_production_turns_two_factor_on():
    from tests.foundation.test_settings import run_manage

    show = "from django.conf import settings; print(settings.PRACTICEKB_ADMIN_TWO_FACTOR)"
    result = run_manage("shell", "-c", show)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("True")

"""The session store (accounts/sessions.py) reads a session as Django's database backend
does: a live one whole, an expired or unknown one not at all."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_live_session_is_read_whole():
    session = SessionStore()
    session["kept"] = {"a": 1}
    session.create()
    again = SessionStore(session.session_key)
    assert again["kept"] == {"a": 1} and again.session_key == session.session_key


def test_an_expired_session_is_empty_and_loses_its_key():
    session = SessionStore()
    session["kept"] = "gone"
    session.create()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    again = SessionStore(session.session_key)
    assert "kept" not in again and again.session_key is None


def test_an_unknown_or_odd_key_reads_nothing():
    for key in ["x" * 32, "' OR 1=1 --".ljust(32, "x")]:
        session = SessionStore(key)
        assert dict(session.items()) == {} and session.session_key is None

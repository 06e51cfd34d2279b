"""Sign-in flows through the real app with Flask's test client: passwords, lockout, rate
limits, CSRF, TOTP, sign-out, timeouts and expired accounts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyotp
import pytest
from auth_testkit import (
    INSPECTOR,
    OWNER,
    PASSWORD,
    TestApp,
    build_app,
    csrf_in,
    error_text,
    sign_in,
    sign_out_token,
    submit_code,
)
from flask.testing import FlaskClient

from dashboards.accounts import AccessEventKind
from dashboards.auth import CSRF_COOKIE_NAME, CSRF_HEADER, SESSION_COOKIE_NAME

WRONG = "The username or password is not right. Check them and try again."
LOCKED = "Too many failed sign-in attempts. Try again later."
INACTIVE = "This account can no longer sign in. Ask your administrator if you still need access."


@pytest.fixture
def site(tmp_path: Path) -> TestApp:
    """A fresh app with one owner, ``olive``."""
    site = build_app(tmp_path)
    site.add_account("olive", OWNER)
    return site


def _is_signed_in(client: FlaskClient) -> bool:
    """Whether the client gets the signed-in layout (its data) back."""
    response = client.get("/_dash-layout")
    return response.status_code == 200 and "Signed in as" in response.text


class TestPassword:
    def test_right_password_signs_in_and_goes_to_the_page_asked_for(self, site: TestApp) -> None:
        client = site.client()

        response = sign_in(client, "olive", next_path="/data-quality")

        assert response.status_code == 303
        assert response.headers["Location"] == "/data-quality"
        assert _is_signed_in(client)
        cookie = client.get_cookie(SESSION_COOKIE_NAME)
        assert cookie is not None
        assert cookie.http_only
        assert cookie.same_site == "Lax"
        csrf_cookie = client.get_cookie(CSRF_COOKIE_NAME)
        assert csrf_cookie is not None
        assert not csrf_cookie.http_only
        assert csrf_cookie.same_site == "Strict"
        [event] = site.events(AccessEventKind.SIGN_IN)
        assert (event.username, event.role, event.scope) == (
            "olive",
            "owner",
            "provider 1-101641521",
        )
        assert event.detail == "password"
        assert event.client == "192.0.2.10"
        assert len(event.request_id) == 32

    def test_cookies_are_secure_when_configured(self, tmp_path: Path) -> None:
        site = build_app(tmp_path, cookie_secure=True)
        site.add_account("olive", OWNER)

        response = sign_in(site.client(), "olive")

        cookies = response.headers.getlist("Set-Cookie")
        session = next(c for c in cookies if c.startswith(f"{SESSION_COOKIE_NAME}="))
        assert "Secure" in session
        assert "HttpOnly" in session

    def test_username_is_not_case_sensitive(self, site: TestApp) -> None:
        client = site.client()

        response = sign_in(client, "Olive")

        assert response.status_code == 303
        assert _is_signed_in(client)

    def test_wrong_password_and_unknown_name_get_the_same_answer(self, site: TestApp) -> None:
        wrong = sign_in(site.client(), "olive", "not the password at all")
        unknown = sign_in(site.client(), "nobody-here", "not the password at all")

        assert wrong.status_code == unknown.status_code == 200
        assert error_text(wrong) == error_text(unknown) == WRONG
        failed = site.events(AccessEventKind.SIGN_IN_FAILED)
        assert [(event.username, event.detail) for event in failed] == [
            ("olive", "wrong credentials"),
            (None, "unknown username"),
        ]

    def test_cookie_before_sign_in_holds_no_session(self, site: TestApp) -> None:
        client = site.client()

        sign_in(client, "olive", "not the password at all")

        assert not _is_signed_in(client)
        assert client.get_cookie(CSRF_COOKIE_NAME) is None

    def test_empty_form_asks_for_both_fields(self, site: TestApp) -> None:
        client = site.client()
        page = client.get("/login")

        response = client.post("/login", data={"csrf_token": csrf_in(page.text)})

        assert error_text(response) == "Enter your username and password."

    @pytest.mark.parametrize(
        "next_path", ["//evil.example/", "https://evil.example/", "/\\evil.example", "/logout"]
    )
    def test_next_never_leaves_the_site(self, site: TestApp, next_path: str) -> None:
        response = sign_in(site.client(), "olive", next_path=next_path)

        assert response.headers["Location"] == "/"

    def test_signed_in_user_opening_sign_in_goes_home(self, site: TestApp) -> None:
        client = site.client()
        sign_in(client, "olive")

        response = client.get("/login")

        assert response.status_code == 303
        assert response.headers["Location"] == "/"


class TestLockout:
    def test_five_failures_lock_the_account_even_for_the_right_password(
        self, site: TestApp
    ) -> None:
        client = site.client()

        answers = [error_text(sign_in(client, "olive", f"wrong guess {n} xx")) for n in range(5)]
        right = sign_in(client, "olive", PASSWORD)

        assert answers == [WRONG] * 4 + [LOCKED]
        assert error_text(right) == LOCKED
        assert not _is_signed_in(client)
        [locked] = site.events(AccessEventKind.LOCKED_OUT)
        assert locked.username == "olive"

    def test_lock_ends_after_the_lockout_time(self, site: TestApp) -> None:
        client = site.client()
        for n in range(5):
            sign_in(client, "olive", f"wrong guess {n} xx")

        site.clock.advance(minutes=15, seconds=1)
        response = sign_in(client, "olive")

        assert response.status_code == 303
        assert _is_signed_in(client)

    def test_unknown_name_locks_the_same_way(self, site: TestApp) -> None:
        # Given five failures for a name with no account
        client = site.client()
        answers = [
            error_text(sign_in(client, "nobody-here", f"wrong guess {n} xx")) for n in range(6)
        ]

        # Then the answers are those a real account gets, lockout included
        assert answers == [WRONG] * 4 + [LOCKED, LOCKED]

    def test_lockout_message_gives_no_detail(self, site: TestApp) -> None:
        client = site.client()
        for n in range(5):
            sign_in(client, "olive", f"wrong guess {n} xx")

        response = sign_in(client, "olive")

        assert "minute" not in response.text
        assert "olive" not in error_text(response)


class TestRateLimit:
    def test_eleventh_attempt_in_a_minute_gets_429(self, site: TestApp) -> None:
        client = site.client(address="192.0.2.77")
        page = client.get("/login")
        form = {"username": "x-user", "password": "whatever 123", "csrf_token": csrf_in(page.text)}

        statuses = [client.post("/login", data=form).status_code for _ in range(11)]

        assert statuses == [200] * 10 + [429]
        refused = client.post("/login", data=form)
        assert "Too many attempts. Try again later." in refused.text
        assert "Traceback" not in refused.text
        assert refused.headers["X-Frame-Options"] == "DENY"
        assert "Retry-After" in refused.headers
        assert refused.headers["Content-Type"].startswith("text/html")

    def test_limit_is_per_client_address(self, site: TestApp) -> None:
        busy = site.client(address="192.0.2.77")
        page = busy.get("/login")
        form = {"username": "x-user", "password": "whatever 123", "csrf_token": csrf_in(page.text)}
        for _ in range(11):
            busy.post("/login", data=form)

        response = sign_in(site.client(address="192.0.2.78"), "olive")

        assert response.status_code == 303


class TestCsrf:
    @pytest.mark.parametrize("token", [None, "", "not-the-token"])
    def test_sign_in_form_without_its_token_is_refused(
        self, site: TestApp, token: str | None
    ) -> None:
        client = site.client()
        client.get("/login")
        form = {"username": "olive", "password": PASSWORD}
        if token is not None:
            form["csrf_token"] = token

        response = client.post("/login", data=form)

        assert response.status_code == 403
        assert not _is_signed_in(client)

    def test_token_of_another_browser_is_refused(self, site: TestApp) -> None:
        other = site.client()
        token = csrf_in(other.get("/login").text)
        client = site.client()
        client.get("/login")

        response = client.post(
            "/login", data={"username": "olive", "password": PASSWORD, "csrf_token": token}
        )

        assert response.status_code == 403

    @pytest.mark.parametrize("header", [None, "not-the-token"])
    def test_dash_post_without_the_session_token_is_refused(
        self, site: TestApp, header: str | None
    ) -> None:
        client = site.client()
        sign_in(client, "olive")
        payload = {
            "output": "shell-nav.children",
            "outputs": {"id": "shell-nav", "property": "children"},
            "inputs": [{"id": "shell-url", "property": "pathname", "value": "/"}],
            "changedPropIds": [],
        }
        headers = {CSRF_HEADER: header} if header else {}

        refused = client.post("/_dash-update-component", json=payload, headers=headers)
        token = client.get_cookie(CSRF_COOKIE_NAME)
        assert token is not None
        accepted = client.post(
            "/_dash-update-component", json=payload, headers={CSRF_HEADER: token.value}
        )

        assert refused.status_code == 403
        assert refused.get_json() == {"error": "forbidden"}
        assert accepted.status_code == 200
        assert "Data quality" in accepted.text

    def test_sign_out_without_the_token_is_refused(self, site: TestApp) -> None:
        client = site.client()
        sign_in(client, "olive")

        response = client.post("/logout", data={"csrf_token": "not-the-token"})

        assert response.status_code == 403
        assert _is_signed_in(client)


class TestTotp:
    @pytest.fixture
    def secret(self, site: TestApp) -> str:
        """Olive's TOTP secret, once the second factor is on."""
        return site.store.enable_totp("olive", now=site.clock.now)

    def test_password_alone_is_not_enough(self, site: TestApp, secret: str) -> None:
        client = site.client()

        response = sign_in(client, "olive")

        assert response.status_code == 303
        assert response.headers["Location"] == "/login/code"
        assert not _is_signed_in(client)

    def test_right_code_signs_in(self, site: TestApp, secret: str) -> None:
        client = site.client()
        sign_in(client, "olive", next_path="/data-quality")

        response = submit_code(client, pyotp.TOTP(secret).at(site.clock.now))

        assert response.status_code == 303
        assert response.headers["Location"] == "/data-quality"
        assert _is_signed_in(client)
        [event] = site.events(AccessEventKind.SIGN_IN)
        assert event.detail == "password+totp"

    def test_wrong_code_is_refused(self, site: TestApp, secret: str) -> None:
        client = site.client()
        sign_in(client, "olive")
        right = pyotp.TOTP(secret).at(site.clock.now)
        wrong = f"{(int(right) + 1) % 1_000_000:06d}"

        response = submit_code(client, wrong)

        assert "The security code is not right." in error_text(response)
        assert not _is_signed_in(client)

    def test_five_wrong_codes_lock_the_account(self, site: TestApp, secret: str) -> None:
        client = site.client()
        sign_in(client, "olive")
        right = pyotp.TOTP(secret).at(site.clock.now)
        wrong = f"{(int(right) + 1) % 1_000_000:06d}"

        answers = [error_text(submit_code(client, wrong)) for _ in range(4)]
        fifth = submit_code(client, wrong)
        again = sign_in(site.client(), "olive")

        assert all(answer.startswith("The security code is not right.") for answer in answers)
        assert error_text(fifth) == LOCKED
        assert error_text(again) == LOCKED
        assert [event.username for event in site.events(AccessEventKind.LOCKED_OUT)] == ["olive"]

    def test_code_page_without_a_password_goes_back_to_sign_in(self, site: TestApp) -> None:
        response = site.client().get("/login/code")

        assert response.status_code == 303
        assert response.headers["Location"] == "/login"

    def test_code_step_runs_out_after_five_minutes(self, site: TestApp, secret: str) -> None:
        client = site.client()
        sign_in(client, "olive")
        page = client.get("/login/code")

        site.clock.advance(minutes=5, seconds=1)
        response = client.post(
            "/login/code",
            data={
                "code": pyotp.TOTP(secret).at(site.clock.now),
                "csrf_token": csrf_in(page.text),
            },
        )

        assert response.headers["Location"] == "/login"
        assert not _is_signed_in(client)


class TestSignOut:
    def test_sign_out_ends_the_session_and_the_old_cookie_gets_nothing(self, site: TestApp) -> None:
        # Given a signed-in browser, and a copy of its cookie
        client = site.client()
        sign_in(client, "olive")
        stolen = client.get_cookie(SESSION_COOKIE_NAME)
        assert stolen is not None
        token = sign_out_token(client.get("/_dash-layout").get_json())

        # When it signs out with the token of its Sign out button
        response = client.post("/logout", data={"csrf_token": token})

        # Then it is sent to the sign-in page, and the old cookie opens nothing
        assert response.status_code == 303
        assert response.headers["Location"] == "/login?signed_out=1"
        assert "You have signed out." in client.get("/login?signed_out=1").text
        replay = site.client()
        replay.set_cookie(SESSION_COOKIE_NAME, stolen.value)
        assert replay.get("/_dash-layout").status_code == 401
        assert replay.get("/data-quality").status_code == 302
        assert [event.username for event in site.events(AccessEventKind.SIGN_OUT)] == ["olive"]


class TestTimeouts:
    def test_thirty_idle_minutes_end_the_session(self, site: TestApp) -> None:
        client = site.client()
        sign_in(client, "olive")

        site.clock.advance(minutes=29)
        still = _is_signed_in(client)
        site.clock.advance(minutes=30, seconds=1)
        page = client.get("/data-quality")

        assert still
        assert page.status_code == 302
        assert page.headers["Location"] == "/login?next=%2Fdata-quality&ended=1"
        assert not _is_signed_in(client)
        [ended] = site.events(AccessEventKind.SESSION_ENDED)
        assert (ended.username, ended.detail) == ("olive", "idle timeout")

    def test_twelve_hours_end_the_session_however_busy(self, site: TestApp) -> None:
        client = site.client()
        sign_in(client, "olive")

        for _ in range(24):
            site.clock.advance(minutes=29)
            assert _is_signed_in(client)
        site.clock.advance(minutes=29)  # 12 h 05 min after sign-in

        assert not _is_signed_in(client)
        [ended] = site.events(AccessEventKind.SESSION_ENDED)
        assert ended.detail == "absolute timeout"


class TestInactiveAccounts:
    def test_expired_inspector_cannot_sign_in(self, site: TestApp) -> None:
        site.add_account("ines", INSPECTOR, expires_on=date(2026, 3, 1))
        client = site.client()

        response = sign_in(client, "ines")

        assert error_text(response) == INACTIVE
        assert not _is_signed_in(client)
        [failed] = site.events(AccessEventKind.SIGN_IN_FAILED)
        assert (failed.username, failed.detail) == ("ines", "account expired")

    def test_inspector_session_ends_when_the_account_expires(self, site: TestApp) -> None:
        # Given an inspector whose last day is today, signed in at 23:30 (UK time = UTC)
        site.add_account("ines", INSPECTOR, expires_on=site.clock.now.date())
        site.clock.advance(hours=14, minutes=30)
        client = site.client()
        sign_in(client, "ines")

        # When the session is used at 23:50 and again at 00:10 the next day
        site.clock.advance(minutes=20)
        client_before_midnight = _is_signed_in(client)
        site.clock.advance(minutes=20)

        # Then it worked on the last day and ends on the next one
        assert client_before_midnight
        assert not _is_signed_in(client)
        [ended] = site.events(AccessEventKind.SESSION_ENDED)
        assert ended.detail == "account expired"

    def test_disabling_an_account_ends_its_session(self, site: TestApp) -> None:
        client = site.client()
        sign_in(client, "olive")

        site.store.set_disabled("olive", disabled=True, now=site.clock.now)

        assert not _is_signed_in(client)
        assert error_text(sign_in(site.client(), "olive")) == INACTIVE

    def test_idle_timeout_is_the_configured_one(self, tmp_path: Path) -> None:
        site = build_app(tmp_path, session_idle_minutes=5)
        site.add_account("olive", OWNER)
        client = site.client()
        sign_in(client, "olive")

        site.clock.advance(minutes=5, seconds=1)

        assert not _is_signed_in(client)

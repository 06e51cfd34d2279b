"""The sign-in pages: ``/login``, ``/login/code``, ``/logout``, ``/oidc/login``, ``/oidc/callback``.

Server-rendered HTML forms (no script), each carrying a CSRF token. Failure messages never say
whether a username exists: a wrong password and an unknown name get the same words, and an
unknown name is locked after as many attempts as a real account.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import flask
from flask_limiter import Limiter
from werkzeug.exceptions import Forbidden, NotFound
from werkzeug.wrappers import Response

from dashboards.access import optional_identity
from dashboards.accounts import AccessEventKind, Account, AccountStatus, SignInOutcome
from dashboards.auth.audit import record_event
from dashboards.auth.sessions import (
    NEXT_PATH_KEY,
    PENDING_TOTP_SINCE_KEY,
    PENDING_TOTP_USER_KEY,
    end_session,
    form_csrf_is_valid,
    form_csrf_token,
    start_session,
)
from dashboards.auth.throttle import UnknownNameLockout
from dashboards.config import DashboardConfig
from dashboards.context import current_services, record_access, utc_now

logger = logging.getLogger("dashboards.auth")

BLUEPRINT_NAME = "carelens_auth"
LOGIN_PATH = "/login"
CODE_PATH = "/login/code"
LOGOUT_PATH = "/logout"
OIDC_LOGIN_PATH = "/oidc/login"
OIDC_CALLBACK_PATH = "/oidc/callback"
STYLESHEET = "/assets/carelens.css"

WRONG_CREDENTIALS_MESSAGE = "The username or password is not right. Check them and try again."
WRONG_CODE_MESSAGE = "The security code is not right. Check your authenticator app and try again."
LOCKED_MESSAGE = "Too many failed sign-in attempts. Try again later."
INACTIVE_MESSAGE = (
    "This account can no longer sign in. Ask your administrator if you still need access."
)
MISSING_MESSAGE = "Enter your username and password."
SSO_FAILED_MESSAGE = "Single sign-on did not sign you in. Try again, or ask your administrator."
SIGNED_OUT_NOTICE = "You have signed out."
SESSION_ENDED_NOTICE = "Your session has ended. Sign in again to carry on."

PENDING_TOTP_MINUTES = 5
_MAX_USERNAME = 254
_MAX_PASSWORD = 1024
_MAX_CODE = 10
_MAX_NEXT_PATH = 512
_REFUSAL_BY_STATUS = {
    AccountStatus.DISABLED: SignInOutcome.DISABLED,
    AccountStatus.EXPIRED: SignInOutcome.EXPIRED,
    AccountStatus.LOCKED: SignInOutcome.LOCKED,
}
_OUTCOME_DETAIL = {
    SignInOutcome.WRONG_CREDENTIALS: "wrong credentials",
    SignInOutcome.LOCKED: "account locked",
    SignInOutcome.DISABLED: "account disabled",
    SignInOutcome.EXPIRED: "account expired",
}


@dataclass(frozen=True, slots=True)
class AuthState:
    """The sign-in machinery of one app.

    Attributes:
        config: The app's configuration.
        limiter: Rate limits per client address.
        unknown_names: Lockout of names that match no account.
        oidc_client: authlib's client of the identity provider, when single sign-on is set up.
    """

    config: DashboardConfig
    limiter: Limiter
    unknown_names: UnknownNameLockout
    oidc_client: Any | None


def safe_next_path(value: str | None) -> str:
    r"""Where to go after sign-in: a path on this site, else the home page.

    Only a plain absolute path is accepted (``/data-quality?run=x``); anything that a browser
    could read as another site (``//host``, ``/\\host``, a scheme) becomes ``/``.
    """
    if (
        not value
        or len(value) > _MAX_NEXT_PATH
        or not value.startswith("/")
        or value.startswith(("//", LOGIN_PATH, LOGOUT_PATH, "/oidc/"))
        or "\\" in value
        or any(ord(char) < 32 or ord(char) == 127 for char in value)
    ):
        return "/"
    return value


def _render(template: str, *, status: int = 200, **context: Any) -> Response:
    response = flask.make_response(
        flask.render_template(template, stylesheet=STYLESHEET, request_id="", **context)
    )
    response.status_code = status
    return response


def _login_page(
    state: AuthState,
    *,
    error: str | None = None,
    notice: str | None = None,
    username: str = "",
    next_path: str = "/",
) -> Response:
    action = LOGIN_PATH if next_path == "/" else f"{LOGIN_PATH}?{_next_query(next_path)}"
    oidc = state.config.oidc
    return _render(
        "login.html",
        title="Sign in",
        error=error,
        notice=notice,
        username=username,
        action=action,
        csrf_token=form_csrf_token(),
        oidc_name=oidc.display_name if oidc and state.oidc_client is not None else None,
        oidc_href=OIDC_LOGIN_PATH
        if next_path == "/"
        else f"{OIDC_LOGIN_PATH}?{_next_query(next_path)}",
    )


def _next_query(next_path: str) -> str:
    return urlencode({"next": next_path})


def _code_page(*, error: str | None = None) -> Response:
    return _render(
        "code.html",
        title="Security code",
        error=error,
        action=CODE_PATH,
        csrf_token=form_csrf_token(),
        restart_href=LOGIN_PATH,
    )


def _complete_sign_in(account: Account, *, auth_method: str, next_path: str) -> Response:
    start_session(account, auth_method=auth_method)
    record_access(AccessEventKind.SIGN_IN, detail=auth_method)
    return flask.redirect(safe_next_path(next_path), code=303)


def _pending_totp_user(now: datetime) -> str | None:
    username = flask.session.get(PENDING_TOTP_USER_KEY)
    since = flask.session.get(PENDING_TOTP_SINCE_KEY)
    if not isinstance(username, str) or not isinstance(since, str):
        return None
    try:
        started = datetime.fromisoformat(since)
    except ValueError:
        return None
    if now - started > timedelta(minutes=PENDING_TOTP_MINUTES):
        return None
    return username


def _drop_pending_totp() -> None:
    flask.session.pop(PENDING_TOTP_USER_KEY, None)
    flask.session.pop(PENDING_TOTP_SINCE_KEY, None)


def sign_in_blueprint(state: AuthState) -> flask.Blueprint:
    """The blueprint of the sign-in pages for one app (its rate limits belong to that app)."""
    blueprint = flask.Blueprint(BLUEPRINT_NAME, __name__, template_folder="templates")
    sign_in_limit = state.limiter.shared_limit(
        state.config.sign_in_rate_limit, scope="sign-in", methods=["POST"]
    )
    sso_limit = state.limiter.shared_limit(
        state.config.sign_in_rate_limit, scope="sign-in", methods=["GET"]
    )
    store_limits = {
        "lockout_attempts": state.config.lockout_attempts,
        "lockout_minutes": state.config.lockout_minutes,
    }

    @blueprint.route(LOGIN_PATH, methods=["GET", "POST"])
    @sign_in_limit
    def login() -> Response:
        next_path = safe_next_path(flask.request.args.get("next"))
        if optional_identity() is not None:
            return flask.redirect(next_path, code=303)
        if flask.request.method == "GET":
            notice = None
            if flask.request.args.get("signed_out"):
                notice = SIGNED_OUT_NOTICE
            elif flask.request.args.get("ended"):
                notice = SESSION_ENDED_NOTICE
            return _login_page(state, notice=notice, next_path=next_path)
        if not form_csrf_is_valid():
            raise Forbidden()
        username = flask.request.form.get("username", "").strip()
        password = flask.request.form.get("password", "")
        if not username or not password:
            return _login_page(
                state, error=MISSING_MESSAGE, username=username[:_MAX_USERNAME], next_path=next_path
            )
        if len(username) > _MAX_USERNAME or len(password) > _MAX_PASSWORD:
            return _login_page(state, error=WRONG_CREDENTIALS_MESSAGE, next_path=next_path)
        now = utc_now()
        if _is_locked(state, username, now=now):
            return _refuse(
                state,
                SignInOutcome.LOCKED,
                account=None,
                name=username,
                next_path=next_path,
                locked_now=False,
            )
        result = current_services().accounts.check_password(
            username, password, now=now, **store_limits
        )
        if result.outcome is SignInOutcome.OK and result.account is not None:
            return _complete_sign_in(result.account, auth_method="password", next_path=next_path)
        if result.outcome is SignInOutcome.TOTP_REQUIRED and result.account is not None:
            flask.session.clear()
            form_csrf_token()
            flask.session[PENDING_TOTP_USER_KEY] = result.account.username
            flask.session[PENDING_TOTP_SINCE_KEY] = now.isoformat()
            flask.session[NEXT_PATH_KEY] = next_path
            return flask.redirect(CODE_PATH, code=303)
        return _refuse(
            state,
            result.outcome,
            account=result.account,
            name=username,
            next_path=next_path,
            locked_now=True,
            now=now,
        )

    @blueprint.route(CODE_PATH, methods=["GET", "POST"])
    @sign_in_limit
    def login_code() -> Response:
        now = utc_now()
        username = _pending_totp_user(now)
        if username is None:
            _drop_pending_totp()
            return flask.redirect(LOGIN_PATH, code=303)
        if flask.request.method == "GET":
            return _code_page()
        if not form_csrf_is_valid():
            raise Forbidden()
        code = flask.request.form.get("code", "").strip().replace(" ", "")
        if not code or len(code) > _MAX_CODE:
            return _code_page(error=WRONG_CODE_MESSAGE)
        next_path = safe_next_path(flask.session.get(NEXT_PATH_KEY))
        if _is_locked(state, username, now=now):
            _drop_pending_totp()
            return _refuse(
                state,
                SignInOutcome.LOCKED,
                account=None,
                name=username,
                next_path=next_path,
                locked_now=False,
            )
        result = current_services().accounts.check_totp(username, code, now=now, **store_limits)
        if result.outcome is SignInOutcome.OK and result.account is not None:
            return _complete_sign_in(
                result.account, auth_method="password+totp", next_path=next_path
            )
        if result.outcome is SignInOutcome.WRONG_CREDENTIALS:
            record_event(
                AccessEventKind.SIGN_IN_FAILED, account=result.account, detail="wrong security code"
            )
            return _code_page(error=WRONG_CODE_MESSAGE)
        _drop_pending_totp()
        return _refuse(
            state,
            result.outcome,
            account=result.account,
            name=username,
            next_path=next_path,
            locked_now=True,
            now=now,
        )

    @blueprint.route(LOGOUT_PATH, methods=["POST"])
    def logout() -> Response:
        if optional_identity() is None:
            return flask.redirect(LOGIN_PATH, code=303)
        if not form_csrf_is_valid():
            raise Forbidden()
        record_access(AccessEventKind.SIGN_OUT)
        end_session()
        return flask.redirect(f"{LOGIN_PATH}?signed_out=1", code=303)

    @blueprint.route(OIDC_LOGIN_PATH, methods=["GET"])
    def oidc_login() -> Any:
        if state.oidc_client is None:
            raise NotFound()
        next_path = safe_next_path(flask.request.args.get("next"))
        if optional_identity() is not None:
            return flask.redirect(next_path, code=303)
        flask.session[NEXT_PATH_KEY] = next_path
        redirect_uri = flask.url_for(f"{BLUEPRINT_NAME}.oidc_callback", _external=True)
        try:
            return state.oidc_client.authorize_redirect(redirect_uri)
        except Exception:  # the provider is unreachable or its metadata unusable
            logger.warning("single sign-on could not start", exc_info=True)
            return _login_page(state, error=SSO_FAILED_MESSAGE, next_path=next_path)

    @blueprint.route(OIDC_CALLBACK_PATH, methods=["GET"])
    @sso_limit
    def oidc_callback() -> Response:
        if state.oidc_client is None or state.config.oidc is None:
            raise NotFound()
        next_path = safe_next_path(flask.session.get(NEXT_PATH_KEY))
        try:
            token = state.oidc_client.authorize_access_token()
        except Exception as error:  # bad state, code, signature, nonce, issuer, audience ...
            logger.warning("single sign-on refused: %s", error)
            record_event(
                AccessEventKind.SIGN_IN_FAILED,
                account=None,
                detail=f"single sign-on refused: {type(error).__name__}",
            )
            return _login_page(state, error=SSO_FAILED_MESSAGE, next_path=next_path)
        userinfo = token.get("userinfo") if isinstance(token, dict) else None
        claim = userinfo.get(state.config.oidc.username_claim) if userinfo else None
        account = (
            current_services().accounts.find_sso_account(claim)
            if isinstance(claim, str) and claim
            else None
        )
        if account is None:
            record_event(
                AccessEventKind.SIGN_IN_FAILED,
                account=None,
                detail="single sign-on: no matching account",
            )
            return _login_page(state, error=SSO_FAILED_MESSAGE, next_path=next_path)
        status = account.status(now=utc_now())
        if status is not AccountStatus.ACTIVE:
            return _refuse(
                state,
                _REFUSAL_BY_STATUS[status],
                account=account,
                name=account.username,
                next_path=next_path,
                locked_now=False,
            )
        return _complete_sign_in(account, auth_method="oidc", next_path=next_path)

    return blueprint


def _is_locked(state: AuthState, name: str, *, now: datetime) -> bool:
    """Whether ``name`` is locked out now: its account if it has one, else the name itself."""
    account = current_services().accounts.get_user(name)
    if account is None:
        return state.unknown_names.is_locked(name, now=now)
    return account.is_locked(now=now)


def _refuse(
    state: AuthState,
    outcome: SignInOutcome,
    *,
    account: Account | None,
    name: str,
    next_path: str,
    locked_now: bool,
    now: datetime | None = None,
) -> Response:
    """Record a refused sign-in and show the sign-in page with the message for ``outcome``.

    Args:
        state: The app's sign-in machinery.
        outcome: What the store decided (``LOCKED`` for a name already locked before the
            attempt).
        account: The account concerned, ``None`` for a name that matches none.
        name: The name typed (shown again in the form; recorded nowhere).
        next_path: Where to go after a later successful sign-in.
        locked_now: Whether a ``LOCKED`` outcome came from this attempt (the one that reached
            the limit) rather than from an earlier lockout.
        now: The attempt's time (needed to count an unknown name's failure).
    """
    # A name with no account is locked after as many failures as a real account.
    if (
        outcome is SignInOutcome.WRONG_CREDENTIALS
        and account is None
        and now is not None
        and state.unknown_names.fail(name, now=now)
    ):
        outcome = SignInOutcome.LOCKED
    detail = _OUTCOME_DETAIL.get(outcome, str(outcome))
    if outcome is SignInOutcome.LOCKED and locked_now:
        detail = _OUTCOME_DETAIL[SignInOutcome.WRONG_CREDENTIALS]
    if account is None:
        detail = "unknown username" if outcome is not SignInOutcome.LOCKED else "name locked"
    record_event(AccessEventKind.SIGN_IN_FAILED, account=account, detail=detail)
    if outcome is SignInOutcome.LOCKED:
        if locked_now:
            record_event(
                AccessEventKind.LOCKED_OUT, account=account, detail="too many failed attempts"
            )
        message = LOCKED_MESSAGE
    elif outcome in (SignInOutcome.DISABLED, SignInOutcome.EXPIRED):
        message = INACTIVE_MESSAGE
    else:
        message = WRONG_CREDENTIALS_MESSAGE
    return _login_page(state, error=message, username=name, next_path=next_path)

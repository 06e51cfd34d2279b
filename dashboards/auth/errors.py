"""Error responses: a plain page for people, a small JSON body for Dash; never a traceback."""

from __future__ import annotations

import logging

import flask
from werkzeug.exceptions import HTTPException, InternalServerError

from dashboards.access import AccessDeniedError, NotSignedInError
from dashboards.context import DASH_PREFIX, request_id

logger = logging.getLogger("dashboards.auth")


# status: (page title, message for people, short JSON error)
_MESSAGES: dict[int, tuple[str, str, str]] = {
    400: ("Bad request", "The request could not be understood.", "bad request"),
    401: ("Sign in", "Sign in to see this page.", "sign in"),
    403: (
        "You do not have access",
        "Your account does not give you access to this. Ask your administrator if you need it.",
        "forbidden",
    ),
    404: ("Page not found", "There is no page at this address.", "not found"),
    405: ("Not allowed", "This address does not accept that kind of request.", "not allowed"),
    413: ("Request too large", "The request was larger than this service accepts.", "too large"),
    429: ("Too many attempts", "Too many attempts. Try again later.", "too many requests"),
    500: (
        "Something went wrong",
        "Something went wrong on our side. It has been logged; "
        "give the request reference below to your administrator.",
        "server error",
    ),
}


def wants_json() -> bool:
    """Whether the request was made by dash-renderer (or another program), not a person."""
    return flask.request.path.startswith(DASH_PREFIX)


def error_response(status: int) -> flask.Response:
    """The response for ``status``: plain HTML for pages, ``{"error": ...}`` for Dash."""
    title, message, short = _MESSAGES.get(status, _MESSAGES[500 if status >= 500 else 400])
    if wants_json():
        response = flask.jsonify(error=short)
    else:
        link = ("/login", "Sign in") if status == 401 else ("/", "Go to the home page")
        response = flask.make_response(
            flask.render_template(
                "message.html",
                title=title,
                message=message,
                link_href=link[0],
                link_text=link[1],
                request_id=request_id(),
                stylesheet="/assets/carelens.css",
            )
        )
    response.status_code = status
    return response


def _handle_http_exception(error: HTTPException) -> flask.Response:
    response = error_response(error.code or 500)
    retry_after = error.get_headers() and dict(error.get_headers()).get("Retry-After")
    if retry_after:
        response.headers["Retry-After"] = retry_after
    return response


def _handle_access_denied(error: AccessDeniedError) -> flask.Response:
    return error_response(401 if isinstance(error, NotSignedInError) else 403)


def _handle_unexpected(error: Exception) -> flask.Response:
    # The detail (traceback, SQL, paths) goes to the server log only.
    logger.error(
        "unexpected error in request %s %s", request_id(), flask.request.path, exc_info=error
    )
    return error_response(500)


def register_error_handlers(server: flask.Flask) -> None:
    """Answer every error with :func:`error_response`."""
    server.register_error_handler(HTTPException, _handle_http_exception)
    server.register_error_handler(AccessDeniedError, _handle_access_denied)
    server.register_error_handler(InternalServerError, _handle_unexpected)
    server.register_error_handler(Exception, _handle_unexpected)

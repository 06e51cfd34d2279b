"""Serves each load run's Great Expectations Data Docs from the app itself, read-only.

Data Docs describe loads (operations data), so only identities that may read
``Audience.OPERATIONS`` (administrators) may open them.
"""

from __future__ import annotations

import re
from pathlib import Path

import flask
from werkzeug.exceptions import NotFound

from dashboards.access import AccessDeniedError, current_identity
from dashboards.accounts import AccessEventKind
from dashboards.context import record_access
from dashboards.roles import Audience

# Run ids as the loader writes them, e.g. 20261122T020000Z-3f2a. Nothing else reaches the disk.
RUN_ID_PATTERN = re.compile(r"\d{8}T\d{6}Z(?:-[0-9A-Za-z]{1,32})?")
ROUTE_PREFIX = "/data-docs"
_UNSAFE_CHARACTERS = ("\\", "\x00", ":")

# Data Docs pages may load only what this server holds; GX's default pages ask CDNs for
# Bootstrap and jQuery, which this policy blocks rather than let the browser reach the internet.
_SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def data_docs_href(run_id: str) -> str:
    """Return the app-relative link to the Data Docs index page of one run."""
    return f"{ROUTE_PREFIX}/{run_id}/index.html"


def is_safe_relative_path(file: str) -> bool:
    """Tell whether ``file`` is a plain relative path with no parent or odd segments."""
    if not file or file.startswith("/") or any(char in file for char in _UNSAFE_CHARACTERS):
        return False
    return all(part not in ("", ".", "..") for part in file.split("/"))


def register_data_docs_route(server: flask.Flask, *, data_docs_dir: Path) -> None:
    """Add ``/data-docs/<run_id>/<path:file>`` to ``server``, serving from ``data_docs_dir``.

    Any request for a run id not matching :data:`RUN_ID_PATTERN`, or for a path with ``..``,
    an absolute path, a backslash or a drive letter, is answered 404 without touching the disk.
    Anyone who may not read operations data is answered 403 (and the refusal audited).
    """

    def serve_data_docs(run_id: str, file: str = "index.html") -> flask.Response:
        if not current_identity().may_read(Audience.OPERATIONS):
            record_access(AccessEventKind.ACCESS_DENIED, detail="data docs")
            raise AccessDeniedError("data docs are for administrators")
        if not RUN_ID_PATTERN.fullmatch(run_id) or not is_safe_relative_path(file):
            raise NotFound()
        # send_from_directory joins with werkzeug's safe_join: a second guard against escape.
        response = flask.send_from_directory(data_docs_dir / run_id, file)
        response.headers.update(_SECURITY_HEADERS)
        return response

    def refuse(**_path: str) -> flask.Response:
        if not current_identity().may_read(Audience.OPERATIONS):
            raise AccessDeniedError("data docs are for administrators")
        raise NotFound()

    # Anything else under the prefix is refused here rather than reaching Dash's page routing.
    server.add_url_rule(ROUTE_PREFIX, "data_docs_root", refuse, methods=["GET"])
    server.add_url_rule(f"{ROUTE_PREFIX}/", "data_docs_root_folder", refuse, methods=["GET"])
    server.add_url_rule(f"{ROUTE_PREFIX}/<path:rest>", "data_docs_other", refuse, methods=["GET"])
    server.add_url_rule(
        f"{ROUTE_PREFIX}/<run_id>/", "data_docs_index", serve_data_docs, methods=["GET"]
    )
    server.add_url_rule(
        f"{ROUTE_PREFIX}/<run_id>/<path:file>", "data_docs_file", serve_data_docs, methods=["GET"]
    )

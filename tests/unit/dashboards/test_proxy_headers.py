"""Behind a TLS proxy: forwarded headers are believed only when the proxies are trusted."""

from __future__ import annotations

from pathlib import Path

import pytest
from auth_testkit import OWNER, build_app, sign_in

from dashboards.accounts import AccessEventKind

FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}


@pytest.mark.parametrize(
    ("trusted_proxies", "expected_client"), [(0, "192.0.2.10"), (1, "203.0.113.7")]
)
def test_failed_sign_in_records_the_client_the_trusted_proxy_reports(
    tmp_path: Path, trusted_proxies: int, expected_client: str
) -> None:
    # Given an app behind a proxy at 192.0.2.10 that forwards a client's address
    test_app = build_app(tmp_path, trusted_proxies=trusted_proxies)
    test_app.add_account("ana", OWNER)
    client = test_app.client(address="192.0.2.10")
    client.environ_base.update(
        {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in FORWARDED.items()}
    )

    # When a wrong password is posted
    sign_in(client, "ana", "not the password at all")

    # Then the audit trail names the forwarded client only when the proxy is trusted
    failures = test_app.events(AccessEventKind.SIGN_IN_FAILED)
    assert [event.client for event in failures] == [expected_client]

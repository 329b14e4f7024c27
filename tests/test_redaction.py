"""No OAuth secret reaches a log line, at any level."""

import logging

import pytest
from flipkart import FlipkartClient, redact
from flipkart.redaction import RedactSecrets, install
from simulator import Sandbox, SandboxServer


def test_secret_parameters_and_credentials_are_masked():
    line = (
        '127.0.0.1 - - "GET /flipkart/oauth/callback?code=abc-123&state=eyJ.x.y '
        'HTTP/1.1" 303 refresh_token=r-9&grant_type=refresh_token '
        "Authorization: Bearer tok.en Basic YXBwOnNlY3JldA== FKLOGIN c2ln"
    )
    masked = redact(line)
    for secret in ("abc-123", "eyJ.x.y", "r-9", "tok.en", "YXBwOnNlY3JldA==", "c2ln"):
        assert secret not in masked
    assert "grant_type=refresh_token" in masked
    assert "/flipkart/oauth/callback?code=***&state=***" in masked


def test_the_filter_rewrites_the_record_and_keeps_it():
    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '"GET /cb?code=%s HTTP/1.1"',
        ("c1",),
        None,
    )
    assert RedactSecrets().filter(record)
    assert record.getMessage() == '"GET /cb?code=*** HTTP/1.1"'


@pytest.fixture
def sandbox():
    sb = Sandbox(seed=1, shipments=0, listings=1, apps={"app": "secret"})
    with SandboxServer(sb) as server:
        sb.base_url = server.base_url
        yield sb


def test_urllib3_debug_lines_carry_no_token(sandbox, caplog):
    install()
    client = FlipkartClient(
        sandbox.base_url, "app", "secret", grant="authorization_code"
    )
    used = sandbox.tokens.issue("app", with_refresh=True)["refresh_token"]
    client.refresh_token = used
    with caplog.at_level(logging.DEBUG, logger="urllib3.connectionpool"):
        client.refresh()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "oauth/token" in logged, "urllib3 logged the request"
    assert "refresh_token=***" in logged
    assert used not in logged

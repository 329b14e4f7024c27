"""Notification signature: Flipkart's documented worked example is the test vector."""

import base64
import json
from pathlib import Path

import pytest
from flipkart import signature
from flipkart.signature import SignatureError, sign, verify

# Copied from Flipkart's docs (see ../shared/fixtures/flipkart-docs/SOURCES.md).
FIXTURES = Path(__file__).resolve().parent / "samples"
EXAMPLE = json.loads((FIXTURES / "13_signature_example.json").read_text())
SIGNED_AT = int(EXAMPLE["timestamp_as_signed"])


def _headers(x_date=None, x_auth=None):
    return {
        "X_Date": x_date or EXAMPLE["x_date_header"],
        "X_Authorization": x_auth or EXAMPLE["expected_x_authorization_header"],
    }


def _verify(headers, url=None, secret=None, now=SIGNED_AT + 5, **kw):
    return verify(
        headers,
        url or EXAMPLE["notification_url"],
        EXAMPLE["http_method"],
        EXAMPLE["app_id"],
        secret or EXAMPLE["app_secret"],
        now=now,
        **kw,
    )


def test_documented_signature_is_reproduced():
    expected = EXAMPLE["expected_signature_sha1_hex"]
    got = signature.compute_signature(
        EXAMPLE["timestamp_as_signed"],
        EXAMPLE["notification_url"],
        "POST",
        EXAMPLE["app_secret"],
    )
    assert got == expected
    header = signature.authorization_header(EXAMPLE["app_id"], expected)
    assert header == EXAMPLE["expected_x_authorization_header"]


def test_documented_example_verifies():
    assert _verify(_headers()) == SIGNED_AT


def test_later_revision_date_with_offset_suffix_verifies():
    assert _verify(_headers(x_date="Tue, 19 May 2015 09:02:15 GMT+05:30")) == SIGNED_AT


def test_https_url_of_later_revision_uses_its_own_signature():
    later = EXAMPLE["later_doc_revision"]
    https_url = EXAMPLE["notification_url"].replace("http://", "https://")
    auth = signature.authorization_header(
        EXAMPLE["app_id"], later["recomputed_sha1_for_https_signing_string"]
    )
    assert _verify(_headers(x_auth=auth), url=https_url) == SIGNED_AT
    with pytest.raises(SignatureError, match="does not match"):
        _verify(_headers(), url=https_url)


def test_signing_string_may_be_the_date_text_itself():
    """The prose says the X_Date value is signed: accept that reading too."""
    x_date = EXAMPLE["x_date_header"]
    sig = signature.compute_signature(
        x_date, EXAMPLE["notification_url"], "POST", EXAMPLE["app_secret"]
    )
    auth = signature.authorization_header(EXAMPLE["app_id"], sig)
    assert _verify(_headers(x_auth=auth)) == SIGNED_AT


@pytest.mark.parametrize(
    "headers, message",
    [
        ({}, "missing"),
        (
            {"X_Date": EXAMPLE["x_date_header"], "X_Authorization": "Basic abc"},
            "FKLOGIN",
        ),
        (
            {"X_Date": EXAMPLE["x_date_header"], "X_Authorization": "FKLOGIN ***"},
            "base64",
        ),
        (
            {
                "X_Date": "yesterday",
                "X_Authorization": EXAMPLE["expected_x_authorization_header"],
            },
            "not a date",
        ),
    ],
)
def test_unreadable_headers_are_refused(headers, message):
    with pytest.raises(SignatureError, match=message):
        _verify(headers)


def test_wrong_secret_or_app_is_refused():
    with pytest.raises(SignatureError, match="does not match"):
        _verify(_headers(), secret="guess")
    other = signature.authorization_header(
        "another-app", EXAMPLE["expected_signature_sha1_hex"]
    )
    with pytest.raises(SignatureError, match="another application"):
        _verify(_headers(x_auth=other))


def test_clock_skew_window():
    assert _verify(_headers(), now=SIGNED_AT + 899) == SIGNED_AT
    with pytest.raises(SignatureError, match="clock skew"):
        _verify(_headers(), now=SIGNED_AT + 901)
    with pytest.raises(SignatureError, match="clock skew"):
        _verify(_headers(), now=SIGNED_AT - 3600, skew=60)


def test_sign_round_trip_and_header_spellings():
    headers = sign(
        "app",
        "secret",
        "https://odoo.example.com/flipkart/notifications",
        "POST",
        1.7e9,
    )
    dashed = {k.replace("_", "-").lower(): v for k, v in headers.items()}
    for variant in (headers, dashed):
        assert verify(
            variant,
            "https://odoo.example.com/flipkart/notifications",
            "post",
            "app",
            "secret",
            now=1.7e9,
        ) == int(1.7e9)


@pytest.mark.parametrize(
    "headers",
    [
        {"X_Date": "Sat, 23 Nov 2026 10:00:00 GMT", "X_Authorization": "FKLOGIN ✓✓✓✓"},
        {
            "X_Date": "Sat, 23 Nov 2026 10:00:00 GMT",
            "X_Authorization": "FKLOGIN "
            + base64.b64encode("appé:sig".encode()).decode(),
        },
        {
            "X_Date": "9" * 5000,
            "X_Authorization": "FKLOGIN " + base64.b64encode(b"app:x").decode(),
        },
    ],
    ids=["non-ascii token", "non-ascii app id", "5000-digit date"],
)
def test_hostile_headers_are_refused_in_words(headers):
    with pytest.raises(SignatureError):
        verify(headers, "https://x/notify", "POST", "app", "secret", now=1_700_000_000)

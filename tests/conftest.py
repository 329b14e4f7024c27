import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The client (flipkart) and the simulator (simulator) are plain packages
# inside their addons: importable without Odoo.
sys.path.insert(0, os.path.join(REPO, "flipkart_connector"))
sys.path.insert(0, os.path.join(REPO, "flipkart_sandbox"))


import pytest  # noqa: E402
import requests  # noqa: E402
from simulator import SandboxServer  # noqa: E402

# The sandbox's default application (simulator.app.DEFAULT_APPS).
SANDBOX_APP = ("sandbox-app", "sandbox-secret")
T0 = 1_700_000_000.0  # 2023-11-15 03:43:20 IST


@pytest.fixture
def now():
    """The sandbox clock; tests move it by assigning now[0]."""
    return [T0]


@pytest.fixture
def srv(sb):
    """A file's ``sb`` sandbox served on a free loopback port."""
    with SandboxServer(sb, host="127.0.0.1", port=0) as server:
        yield server


@pytest.fixture
def api(srv):
    """A session carrying a valid bearer token; call api.url(path) for URLs."""
    session = requests.Session()
    token = requests.get(
        srv.base_url + "/oauth-service/oauth/token",
        params={"grant_type": "client_credentials", "scope": "Seller_Api"},
        auth=SANDBOX_APP,
        timeout=5,
    ).json()["access_token"]
    session.headers["Authorization"] = f"Bearer {token}"
    session.url = lambda path: srv.base_url + "/sellers" + path
    yield session
    session.close()

"""The local server as a security boundary, proved over real HTTP against `koordi serve`."""

from __future__ import annotations

import http.client
import re
import socket
from http.cookies import SimpleCookie

import pytest

from tests.conftest import PROFILE


class Browser:
    """A tiny HTTP client that keeps one cookie, enough to act like the app's window."""

    def __init__(self, server):
        self.server = server
        self.cookie: str | None = None

    def request(self, method, path, body=None, headers=None, host=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        h = {"Host": host or f"127.0.0.1:{self.server.port}"}
        if self.cookie:
            h["Cookie"] = self.cookie
        if body is not None:
            h["Content-Type"] = "application/x-www-form-urlencoded"
        h.update(headers or {})
        conn.request(method, path, body=body, headers=h)
        resp = conn.getresponse()
        data = resp.read().decode("utf-8", "replace")
        for value in resp.headers.get_all("Set-Cookie") or []:
            c = SimpleCookie(value)
            for name, morsel in c.items():
                self.cookie = f"{name}={morsel.value}"
        conn.close()
        return resp, data

    def login(self):
        resp, _ = self.request("GET", f"/?token={self.server.token}")
        assert resp.status == 302
        return resp

    def csrf(self, path="/setup"):
        _, html = self.request("GET", path)
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def form(**fields):
    from urllib.parse import urlencode

    return urlencode(fields)


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory):
    """One server for the tests that save nothing (start-up is the slow part)."""
    import sys

    from tests.conftest import koordi_env, start_server

    folder = tmp_path_factory.mktemp("shared-data")
    server = start_server([sys.executable, "-m", "app", "serve", "--data-dir", str(folder)], koordi_env())
    yield server
    server.stop()


@pytest.fixture
def browser(shared_server):
    return Browser(shared_server)


def test_binds_to_loopback_only(shared_server):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(2)
        assert s.connect_ex(("127.0.0.1", shared_server.port)) == 0
    # Any other local address of this machine must not answer on that port.
    other = socket.gethostbyname(socket.gethostname())
    if other.startswith("127."):
        other = "127.0.0.2"  # still loopback range, but not the address Koordi bound
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(2)
        assert s.connect_ex((other, shared_server.port)) != 0


def test_token_url_sets_a_strict_httponly_session_and_hides_the_token(shared_server, browser):
    resp = browser.login()
    assert resp.getheader("Location") == "/"  # the token leaves the address bar
    set_cookie = resp.getheader("Set-Cookie")
    assert f"koordi_session_{shared_server.port}=" in set_cookie
    assert "HttpOnly" in set_cookie and "SameSite=Strict" in set_cookie
    resp, html = browser.request("GET", "/setup")
    assert resp.status == 200 and "csrf_token" in html


@pytest.mark.parametrize("path", ["/", "/setup", "/about", "/settings", "/static/css/koordi.css", "/nope"])
def test_requests_without_session_or_token_get_403(browser, path):
    resp, html = browser.request("GET", path)
    assert resp.status == 403
    assert "Traceback" not in html


def test_wrong_token_gets_403_and_no_session(shared_server, browser):
    resp, _ = browser.request("GET", "/?token=" + "x" * len(shared_server.token))
    assert resp.status == 403
    assert browser.cookie is None


def test_session_of_another_launch_is_worthless(live_server, data_dir, tmp_path):
    """A cookie is signed with a per-launch secret: after a restart it opens nothing."""
    import sys

    from tests.conftest import koordi_env, start_server

    b = Browser(live_server)
    b.login()
    old_cookie = b.cookie
    live_server.stop()
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    again = start_server(
        [sys.executable, "-m", "app", "serve", "--data-dir", str(other_dir), "--port", str(live_server.port)], koordi_env()
    )
    try:
        b2 = Browser(again)
        b2.cookie = old_cookie
        resp, _ = b2.request("GET", "/about")
        assert resp.status == 403
    finally:
        again.stop()


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1", "localhost", "127.0.0.1:1", "koordi.attacker.test:{port}"])
def test_host_header_allow_list_defeats_dns_rebinding(shared_server, browser, host):
    browser.login()
    resp, _ = browser.request("GET", "/about", host=host.format(port=shared_server.port))
    assert resp.status == 400


def test_localhost_name_is_allowed(shared_server, browser):
    browser.login()
    resp, _ = browser.request("GET", "/about", host=f"localhost:{shared_server.port}")
    assert resp.status == 200


def test_writes_need_the_csrf_token(browser):
    browser.login()
    resp, html = browser.request("POST", "/setup", body=form(**PROFILE))
    assert resp.status == 400
    assert "Traceback" not in html
    resp, _ = browser.request("GET", "/")
    assert resp.getheader("Location") == "/setup"  # nothing was saved


def test_cross_site_writes_are_refused_even_with_a_token(live_server):
    browser = Browser(live_server)
    browser.login()
    token = browser.csrf()
    body = form(csrf_token=token, **PROFILE)
    for headers in ({"Origin": "http://evil.example"}, {"Sec-Fetch-Site": "cross-site"}, {"Origin": "null"}):
        resp, _ = browser.request("POST", "/setup", body=body, headers=headers)
        assert resp.status == 403, headers
    resp, _ = browser.request("GET", "/")
    assert resp.getheader("Location") == "/setup"
    # The same form from the app's own origin goes through.
    resp, _ = browser.request(
        "POST", "/setup", body=body, headers={"Origin": f"http://127.0.0.1:{live_server.port}", "Sec-Fetch-Site": "same-origin"}
    )
    assert resp.status == 302 and resp.getheader("Location") == "/"


def test_security_headers_on_pages_and_errors(browser):
    browser.login()
    for path in ("/setup", "/does-not-exist"):
        resp, _ = browser.request("GET", path)
        csp = resp.getheader("Content-Security-Policy")
        assert "frame-ancestors 'none'" in csp
        assert "default-src 'self'" in csp and "http" not in csp  # no remote source anywhere
        assert resp.getheader("X-Content-Type-Options") == "nosniff"
        assert resp.getheader("Referrer-Policy") == "no-referrer"
        assert resp.getheader("Cache-Control") == "no-store"


def test_upload_size_is_limited(shared_server, browser):
    browser.login()
    reply = _announce_upload(shared_server, 65 * 1024 * 1024, b"x" * 65536, cookie=browser.cookie)
    assert reply.startswith(b"HTTP/1.1 413 ") and b"Traceback" not in reply


def test_no_debugger_and_no_server_internals_leak(shared_server, browser):
    browser.login()
    resp, html = browser.request("GET", "/console")
    assert resp.status == 404 and "Werkzeug" not in html
    assert "waitress" not in (resp.getheader("Server") or "").lower()


def test_a_browsers_own_same_origin_post_with_null_origin_is_accepted(shared_server):
    """Referrer-Policy: no-referrer makes Chromium send Origin: null on same-origin posts."""
    b = Browser(shared_server)
    b.login()
    token = b.csrf()
    resp, _ = b.request(
        "POST", "/setup", body=form(csrf_token=token, name=""), headers={"Origin": "null", "Sec-Fetch-Site": "same-origin"}
    )
    assert resp.status == 422  # reached the form (which refuses the empty name), not 403


def _announce_upload(server, size: int, sent: bytes = b"", cookie: str | None = None) -> bytes:
    """POST headers announcing `size` bytes of body, then `sent` of it; the server's first
    reply bytes, or b"" when it answered nothing within two seconds (it waits for the rest)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=2) as s:
        head = (
            f"POST /sync/import HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
            + (f"Cookie: {cookie}\r\n" if cookie else "")
            + f"Content-Type: application/zip\r\nContent-Length: {size}\r\n\r\n"
        )
        s.sendall(head.encode() + sent)
        try:
            return s.recv(4096)
        except (TimeoutError, ConnectionResetError):
            return b""


def test_an_upload_over_the_limit_is_refused_before_its_body_is_read(live_server):
    limit = 64 * 1024 * 1024  # the app's MAX_CONTENT_LENGTH
    # 900 MB announced, 1 MB sent: the refusal comes at once, not after the body is on disk.
    assert _announce_upload(live_server, 900 * 1024 * 1024, b"x" * (1024 * 1024)).startswith(b"HTTP/1.1 413 ")
    # The limit is the app's own, not the server's default of 1 GB ...
    assert _announce_upload(live_server, limit + 1).startswith(b"HTTP/1.1 413 ")
    # ... and a body of exactly the limit is waited for, as the app accepts it.
    assert _announce_upload(live_server, limit) == b""
    # The server goes on serving.
    resp, _ = Browser(live_server).request("GET", f"/?token={live_server.token}")
    assert resp.status == 302

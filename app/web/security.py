"""The local server is a security boundary (Jupyter Server's model).

Any web page the coordinator opens in a browser on the same laptop can send
requests to 127.0.0.1. So every request must come from the app's own window or
a browser the coordinator opened with the per-launch token:

- Host allow-list (127.0.0.1:PORT, localhost:PORT): defeats DNS rebinding → 400.
- Access: the launch URL's ?token=... sets an HttpOnly, SameSite=Strict session
  cookie; anything without that session (or the token) → 403.
- Writes: Flask-WTF's CSRF token, and no cross-site Origin / Sec-Fetch-Site.
- Headers: a CSP with no remote sources, no framing, no sniffing, no referrer.
"""

from __future__ import annotations

import hmac
from urllib.parse import urlencode

from flask import Flask, abort, current_app, redirect, request, session

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Endpoints a second launch calls with the token in a header instead of a cookie.
TOKEN_HEADER = "X-Koordi-Token"

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def allowed_hosts() -> frozenset[str]:
    cfg = current_app.config
    if cfg.get("ALLOWED_HOSTS"):
        return frozenset(cfg["ALLOWED_HOSTS"])
    port = cfg.get("SERVER_PORT")
    if not port:
        return frozenset()  # not serving yet: fail closed
    return frozenset({f"127.0.0.1:{port}", f"localhost:{port}"})


def token_matches(candidate: str | None) -> bool:
    expected = current_app.config["ACCESS_TOKEN"]
    if not candidate:
        return False
    return hmac.compare_digest(candidate.encode(), expected.encode())


def check_host():
    if request.host not in allowed_hosts():
        abort(400, description="host")


def check_cross_site():
    if request.method in SAFE_METHODS:
        return
    site = request.headers.get("Sec-Fetch-Site")
    if site and site not in ("same-origin", "none"):
        abort(403, description="cross-site")
    origin = request.headers.get("Origin")
    if origin == "null" and site == "same-origin":
        # Under Referrer-Policy: no-referrer, Chromium sends "Origin: null" on its own
        # same-origin form posts; Sec-Fetch-Site is set by the browser, not by pages.
        return
    if origin is not None and origin not in {f"http://{h}" for h in allowed_hosts()}:
        abort(403, description="cross-site")


def authenticate():
    token = request.args.get("token")
    if token is not None:
        if not token_matches(token):
            abort(403, description="token")
        # A fresh session for this launch; the token leaves the address bar at once.
        session.clear()
        session["auth"] = True
        if request.method in SAFE_METHODS:
            rest = [(k, v) for k, v in request.args.items(multi=True) if k != "token"]
            return redirect(request.path + ("?" + urlencode(rest) if rest else ""))
        return None
    if session.get("auth") is True:
        return None
    if token_matches(request.headers.get(TOKEN_HEADER)):
        return None
    abort(403, description="token")


def add_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint != "static":
        # Pages show professionals' data: never keep them in a disk cache.
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.before_request(check_host)
    app.before_request(authenticate)
    app.before_request(check_cross_site)
    app.after_request(add_headers)

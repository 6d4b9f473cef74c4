"""The URL rules of app.files (a file offered for download once, a saved file shown in its folder):
declared at start, the views imported on their first request (app.web.lazy)."""

from __future__ import annotations

from flask import Blueprint

from app.web.lazy import GET, POST, add_rules

bp = Blueprint("files", __name__)

add_rules(bp, "app.files", (("/files/download/<ref>", "download", GET), ("/files/<ref>/reveal", "reveal", POST)))

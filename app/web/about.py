"""What both apps' About pages show of the licences: Koordi's own (LICENSE) and the third-party
notices the bundle carries (build/notices.py). The coordinator's app (app.system) and the central
office's (app.central.about_views) read them here and show them with the same template macros
(app/templates/macros/about.html); app.central is never imported from this side.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from app import paths


def licence_texts() -> dict[str, str | None]:
    """{"licence", "notices"}: each file's text, or None when this copy has none (a wheel or a
    source checkout has no notices file: its packages carry their own licences).
    NOTICES_FILE in the config points elsewhere (tests)."""
    notices = current_app.config.get("NOTICES_FILE", paths.NOTICES_FILE)
    return {"licence": _read_text(paths.LICENSE_FILE), "notices": _read_text(Path(notices))}


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None

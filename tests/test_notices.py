"""build/notices.py: the third-party notices the bundle ships, generated from the runtime lock."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT


def load_notices():
    spec = importlib.util.spec_from_file_location("koordi_notices", ROOT / "build" / "notices.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@pytest.fixture(scope="module")
def notices():
    module = load_notices()
    return module, module.generate()


def sections(text: str) -> dict[str, str]:
    """Entry title -> the entry's text, up to the next entry."""
    parts = re.split(r"^={78}\n(.+)\n={78}\n", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_every_runtime_package_of_the_lock_is_listed_with_its_version(notices):
    module, text = notices
    listed = {}
    for title in sections(text):
        name, _, version = title.rpartition(" ")
        listed[canonical(name)] = version
    here = [(name, version) for name, version, marker in module.locked_packages() if module.applies(marker)]
    assert len(here) > 15, here
    for name, version in here:
        assert listed.get(canonical(name)) == version, f"{name} {version} missing from the notices"
    assert "pytest" not in listed and "hypothesis" not in listed, "a dev tool is not in the bundle"


def test_psycopg_is_lgpl_with_its_licence_text(notices):
    _, text = notices
    entries = sections(text)
    psycopg = next(body for title, body in entries.items() if title.startswith("psycopg "))
    assert "Licence: LGPL-3.0" in psycopg
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in psycopg
    assert "Version 3" in psycopg


def test_fonts_python_bootloader_and_webview2_are_noted(notices):
    _, text = notices
    titles = list(sections(text))
    assert any(t.startswith("DejaVu fonts") for t in titles)
    assert any(t.startswith("Python 3.") for t in titles)
    assert any(t.startswith("pyinstaller ") for t in titles)
    assert any(t.startswith("Microsoft Edge WebView2 SDK") for t in titles)
    dejavu = next(body for title, body in sections(text).items() if title.startswith("DejaVu"))
    assert (ROOT / "assets" / "fonts" / "LICENSE-DejaVu.txt").read_text(encoding="utf-8").strip() in dejavu


def test_a_locked_package_that_is_not_installed_stops_the_build(tmp_path: Path):
    module = load_notices()
    lock = tmp_path / "requirements.lock"
    lock.write_text("surely-not-installed-koordi-pkg==1.0 \\\n    --hash=sha256:00\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="surely-not-installed-koordi-pkg 1.0 is in the lock but not installed"):
        module.generate(lock)


# -- the About page's licence part ------------------------------------------------------


@pytest.fixture
def licensed_app(data_dir: Path, tmp_path: Path):
    from app import create_app

    notices = tmp_path / "THIRD_PARTY_NOTICES.txt"
    notices.write_text("psycopg 3.3.9\nLicence: LGPL-3.0-only\n", encoding="utf-8")
    app = create_app({"DATA_DIR": data_dir, "TESTING": True, "ALLOWED_HOSTS": ["localhost"], "NOTICES_FILE": notices})
    yield app
    app.extensions["koordi.store"].dispose()


def test_about_links_to_the_licence_and_the_notices(licensed_app):
    from tests.common import in_english, text
    from tests.conftest import PROFILE, AuthClient

    client = AuthClient(licensed_app)
    assert client.get("/about/licences").status_code == 200, "open on the first launch, as About is"
    client.post("/setup", PROFILE, csrf_from="/setup")
    in_english(client)
    about = text(client.get("/about"))
    assert "Koordi is free software under the MIT licence." in about
    assert 'href="/about/licences"' in about
    page = text(client.get("/about/licences"))
    assert "Permission is hereby granted, free of charge" in page  # LICENSE, from the repo root
    assert "Koordi contributors" in page
    assert "Licence: LGPL-3.0-only" in page  # the notices file, as the bundle carries it


def test_without_a_notices_file_the_page_says_where_they_are(profiled, app, tmp_path):
    from tests.common import in_english, text

    app.config["NOTICES_FILE"] = tmp_path / "none.txt"
    in_english(profiled)
    page = text(profiled.get("/about/licences"))
    assert "which carry their own licences" in page
    assert "Permission is hereby granted" in page

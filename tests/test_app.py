"""What a coordinator sees: first run, profile, language, errors, files, backups, recovery."""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path

import pytest

from app import create_app, logs
from app.core import clock, hetu
from app.files import OsShell
from app.i18n import HELSINKI
from app.models import CoordinatorProfile
from app.store import Store
from app.version import __version__
from tests.common import text
from tests.conftest import PROFILE, AuthClient, RecordingShell


def stored_profiles(app) -> list[CoordinatorProfile]:
    with app.extensions["koordi.store"].Session() as s:
        return s.query(CoordinatorProfile).all()


# -- first run ------------------------------------------------------------------


def test_first_launch_asks_for_the_profile_in_finnish(client):
    resp = client.get("/")
    assert resp.status_code == 302 and resp.headers["Location"] == "/setup"
    page = text(client.get("/setup"))
    assert "<title>Tervetuloa – Koordi</title>" in page
    assert 'lang="fi"' in page
    # 23 organisers grouped by the five cooperation areas
    assert page.count("<optgroup") == 5
    assert len(re.findall(r'<option value="[a-z-]+"', page)) == 23
    assert 'label="Länsi-Suomi"' in page and "Vantaa–Kerava" in page


def test_profile_form_names_each_bad_field_and_saves_nothing(client, app):
    resp = client.post(
        "/setup", {"name": "", "role": "", "county": "atlantis", "central_office_email": "no-at-sign"}, csrf_from="/setup"
    )
    assert resp.status_code == 422
    page = text(resp)
    assert "Tarkista nämä kentät" in page
    assert "Keskustoimiston sähköpostiosoite ei ole sähköpostiosoite." in page
    for label in ("Nimesi", "Rooli", "Hyvinvointialue"):
        assert f"{label}:" in page  # the error summary names the field
    assert 'aria-invalid="true"' in page
    assert stored_profiles(app) == []


@pytest.mark.parametrize("mistyped", [False, True])
def test_profile_refuses_an_identity_code_in_free_text(client, app, mistyped):
    code = hetu.generate(dt.date(1985, 4, 12), 234)
    if mistyped:
        wrong = next(c for c in hetu.CHECK_CHARS if c != code[-1])
        code = code[:-1] + wrong
    resp = client.post("/setup", {**PROFILE, "name": f"Anna {code}"}, csrf_from="/setup")
    assert resp.status_code == 422
    page = text(resp)
    assert "Kentässä Nimesi" in page
    assert ("väärä" in page) == mistyped
    errors = " ".join(re.findall(r'<p class="error"[^>]*>(.*?)</p>', page))
    assert "Kentässä Nimesi" in errors
    assert code not in errors  # the message never echoes the whole code (the field keeps the text to edit)
    assert stored_profiles(app) == []


def test_setup_then_dashboard_with_finnish_date(profiled, app):
    page = text(profiled.get("/"))
    assert "Tervetuloa Koordiin! Profiilisi on tallennettu." in page
    today = dt.datetime.now(HELSINKI).date()
    assert f"Tänään on {today.day}.{today.month}.{today.year}." in page
    assert "Testi Koordinaattori" in page and "Länsi-Uusimaa" in page
    (profile,) = stored_profiles(app)
    assert profile.county == "lansi-uusimaa" and profile.role == "therapy"
    # Setup is done once; afterwards the address leads to the editable profile.
    assert profiled.get("/setup").headers["Location"] == "/settings"


def test_profile_is_editable_later(profiled, app):
    resp = profiled.post("/settings", {**PROFILE, "county": "lappi", "role": "both"}, csrf_from="/settings")
    assert resp.status_code == 302
    (profile,) = stored_profiles(app)  # edited in place, not a second profile
    assert profile.county == "lappi" and profile.role == "both"
    assert "Profiili tallennettu." in text(profiled.get("/settings"))


# -- language -------------------------------------------------------------------


def test_language_switch_is_remembered_across_launches(profiled, app, data_dir):
    resp = profiled.post("/language", {"lang": "sv", "next": "/about"})
    assert resp.headers["Location"] == "/about"
    page = text(profiled.get("/about"))
    assert 'lang="sv"' in page and "<h1>Om Koordi</h1>" in page
    app.extensions["koordi.store"].dispose()

    again = create_app({"DATA_DIR": data_dir, "TESTING": True, "ALLOWED_HOSTS": ["localhost"]})
    page = text(AuthClient(again).get("/"))
    assert 'lang="sv"' in page and "Översikt" in page
    again.extensions["koordi.store"].dispose()


def test_language_switch_never_redirects_off_site(profiled):
    for target in ("https://evil.example/", "//evil.example", "\\\\evil"):
        resp = profiled.post("/language", {"lang": "en", "next": target})
        assert resp.headers["Location"] == "/"


# -- errors -----------------------------------------------------------------------


def test_404_is_friendly_and_translated(profiled):
    resp = profiled.get("/no/such/page")
    assert resp.status_code == 404
    page = text(resp)
    assert "Sivua ei löytynyt" in page and "Takaisin etusivulle" in page


def test_unexpected_error_is_a_friendly_page_and_logged_without_form_text(data_dir):
    app = create_app({"DATA_DIR": data_dir, "ALLOWED_HOSTS": ["localhost"]})

    @app.post("/boom")
    def boom():
        raise RuntimeError("kaboom")

    c = AuthClient(app)
    c.post("/setup", PROFILE, csrf_from="/setup")
    app.config["WTF_CSRF_ENABLED"] = False
    resp = c.http.post("/boom", data={"notes": "salainen muistiinpano"})
    assert resp.status_code == 500
    page = text(resp)
    assert "Jokin meni vikaan" in page and "Traceback" not in page and "kaboom" not in page
    log = logs.log_file(data_dir).read_text(encoding="utf-8")
    assert "POST /boom" in log and "RuntimeError: kaboom" in log
    assert "salainen muistiinpano" not in log
    app.extensions["koordi.store"].dispose()


def test_expired_form_is_explained(profiled):
    resp = profiled.http.post("/settings", data={**PROFILE, "csrf_token": "stale"})
    assert resp.status_code == 400
    assert "Lomake vanheni" in text(resp)


# -- about, backups ---------------------------------------------------------------------


def test_about_shows_version_schema_and_log_path(profiled, data_dir):
    page = text(profiled.get("/about"))
    assert __version__ in page
    assert str(logs.log_file(data_dir)) in page
    assert "Tietokannan skeema" in page


def test_backup_and_restore_from_the_about_page(profiled, app):
    resp = profiled.post("/backups")
    assert resp.status_code == 302
    store: Store = app.extensions["koordi.store"]
    (backup,) = store.list_backups()
    assert backup.path.name in text(profiled.get("/about"))
    profiled.post("/settings", {**PROFILE, "name": "Muutettu Nimi"}, csrf_from="/settings")
    confirm = text(profiled.get(f"/backups/{backup.path.name}/restore"))
    assert "Palauta varmuuskopio" in confirm
    resp = profiled.post(f"/backups/{backup.path.name}/restore", csrf_from=f"/backups/{backup.path.name}/restore")
    assert resp.status_code == 302
    (profile,) = stored_profiles(app)
    assert profile.name == PROFILE["name"]
    assert profiled.get("/backups/not-a-backup.sqlite3/restore").status_code == 404


# -- files handed to the user ------------------------------------------------------------


def windowed(data_dir: Path, shell: OsShell) -> AuthClient:
    app = create_app({"DATA_DIR": data_dir, "TESTING": True, "ALLOWED_HOSTS": ["localhost"], "SHELL": shell})
    c = AuthClient(app)
    c.post("/setup", PROFILE, csrf_from="/setup")
    return c


def test_in_a_browser_a_file_is_an_ordinary_download(profiled, data_dir):
    logging.getLogger("app").warning("a line of the log to download")
    resp = profiled.post("/about/log")
    assert resp.status_code == 200
    assert resp.headers["Content-Disposition"].startswith("attachment")
    assert "koordi.log.txt" in resp.headers["Content-Disposition"]
    assert resp.data == logs.log_file(data_dir).read_bytes() and b"a line of the log to download" in resp.data


def test_in_the_window_the_save_dialog_picks_the_place_and_the_file_opens(data_dir, tmp_path):
    target = tmp_path / "chosen" / "tuki.log.txt"
    shell = RecordingShell(target)
    c = windowed(data_dir, shell)
    resp = c.post("/about/log")
    assert resp.status_code == 302 and resp.headers["Location"] == "/about"
    assert target.read_bytes() == logs.log_file(data_dir).read_bytes()
    assert shell.asked[0][1] == "koordi.log.txt"
    assert shell.opened == []  # the log is for sending, not for opening
    page = text(c.get("/about"))
    assert f"Tallennettu: {target}" in page and "Näytä kansiossa" in page
    ref = re.search(r'action="/files/([^/]+)/reveal"', page).group(1)
    c.post(f"/files/{ref}/reveal", {"next": "/about"})
    assert shell.revealed == [target]
    # The dialog opens in the folder used last time.
    c.post("/about/log")
    assert shell.asked[1][0] == target.parent


def test_in_the_window_cancelling_the_dialog_saves_nothing(data_dir):
    shell = RecordingShell(None)
    c = windowed(data_dir, shell)
    c.post("/about/log")
    assert "Tiedostoa ei tallennettu." in text(c.get("/about"))


def test_in_the_window_the_remembered_folder_is_used_without_asking(data_dir, tmp_path):
    shell = RecordingShell(None)
    c = windowed(data_dir, shell)
    folder = tmp_path / "Documents" / "Koordi"
    c.post("/settings/files", {"save_mode": "folder", "folder": str(folder)}, csrf_from="/settings/files")
    c.post("/about/log")
    c.post("/about/log")
    assert sorted(p.name for p in folder.iterdir()) == ["koordi.log (2).txt", "koordi.log.txt"]
    assert shell.asked == []


class BrokenShell(RecordingShell):
    """A laptop with no default app and no file manager for the file."""

    def open_path(self, path):
        raise FileNotFoundError(2, "No such file or directory", "xdg-open")

    def reveal(self, path):
        raise FileNotFoundError(2, "No such file or directory", "xdg-open")


def test_in_the_window_a_file_that_cannot_be_opened_is_still_saved_and_named(data_dir, tmp_path):
    target = tmp_path / "vuosikello.ics"
    c = windowed(data_dir, BrokenShell(target))
    resp = c.post(f"/events/plan/{clock.today().year}.ics")
    assert resp.status_code == 302 and target.read_bytes().startswith(b"BEGIN:VCALENDAR")
    page = text(c.get(resp.headers["Location"]))
    assert f"Tallennettu: {target}" in page
    ref = re.search(r'action="/files/([^/]+)/reveal"', page).group(1)
    resp = c.post(f"/files/{ref}/reveal", {"next": "/about"})
    assert resp.status_code == 302
    assert f"Kansiota {target.parent} ei voitu avata" in text(c.get("/about"))


def test_reveal_only_knows_files_it_saved(data_dir):
    c = windowed(data_dir, RecordingShell(None))
    assert c.post("/files/made-up/reveal").status_code == 404


# -- recovery ---------------------------------------------------------------------------


def test_damaged_database_opens_the_recovery_page_and_restores(data_dir):
    store = Store.open(data_dir)
    store.set_setting("marker", "good")
    good = store.backup()
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.dispose()
    db = data_dir / "koordi.sqlite3"
    raw = bytearray(db.read_bytes())
    raw[4096 : 4096 + 512] = b"\xa5" * 512
    db.write_bytes(bytes(raw))

    app = create_app({"DATA_DIR": data_dir, "TESTING": True, "ALLOWED_HOSTS": ["localhost"]})
    c = AuthClient(app)
    assert c.get("/").headers["Location"] == "/recovery"
    page = text(c.get("/recovery"))
    assert "Tietokanta vaatii huomiota" in page and good.path.name in page
    resp = c.post("/recovery", {"backup": good.path.name}, csrf_from="/recovery")
    assert resp.status_code == 302
    assert app.extensions["koordi.store"].setting("marker") == "good"
    assert c.get("/").headers["Location"] == "/setup"  # working again
    app.extensions["koordi.store"].dispose()


# -- the files folder and OneDrive ------------------------------------------------------


def test_files_settings_say_that_onedrive_syncs_documents(profiled, monkeypatch):
    from app.paths import documents_dir
    from tests.common import in_english

    for name in ("OneDrive", "OneDriveCommercial", "OneDriveConsumer"):
        monkeypatch.delenv(name, raising=False)
    in_english(profiled)
    page = text(profiled.get("/settings/files"))
    assert f"The default folder, {documents_dir()}, is in Documents, which OneDrive copies to the cloud" in page
    assert 'aria-describedby="folder-hint"' in page  # the hint is the folder field's description
    assert "This folder is in OneDrive" not in page


def test_a_folder_in_onedrive_is_pointed_out_and_another_can_be_chosen(profiled, tmp_path, monkeypatch):
    from tests.common import in_english

    in_english(profiled)
    synced = tmp_path / "OneDrive - Hyvinvointialue" / "Documents" / "Koordi"
    profiled.post("/settings/files", {"save_mode": "folder", "folder": str(synced)}, csrf_from="/settings/files")
    assert "This folder is in OneDrive: files saved in it are copied to the cloud." in text(profiled.get("/settings/files"))

    # Windows names OneDrive's root in an environment variable, whatever the folder is called.
    monkeypatch.setenv("OneDriveCommercial", str(tmp_path / "Pilvi"))
    cloud = tmp_path / "Pilvi" / "Koordi"
    profiled.post("/settings/files", {"save_mode": "folder", "folder": str(cloud)}, csrf_from="/settings/files")
    assert "This folder is in OneDrive" in text(profiled.get("/settings/files"))

    local = tmp_path / "Koordi-tiedostot"
    resp = profiled.post("/settings/files", {"save_mode": "folder", "folder": str(local)}, csrf_from="/settings/files")
    assert resp.status_code == 302
    page = text(profiled.get("/settings/files"))
    assert f'value="{local}"' in page
    assert "This folder is in OneDrive" not in page

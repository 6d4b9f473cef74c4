"""The sync page over HTTP: send to the central office (browser and window), the copy, the
history, and import with its preview, in Finnish as a coordinator sees it."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import html
import io
import re
import zipfile
from pathlib import Path

import pytest

from app import create_app
from app.core import hetu
from app.files import OsShell
from app.i18n import HELSINKI
from app.models import CoordinatorProfile, Unit
from app.settings import ops as settings_ops
from app.store import DB_NAME
from app.sync import history, uploads
from app.sync.export import prepare_export
from tests.conftest import PROFILE, AuthClient, RecordingShell
from tests.sync.helpers import add_profile, counts, digest, fill_sample, manifest_of, repack, table_cells, with_rows

# -- helpers -------------------------------------------------------------------------------------


def words(resp) -> str:
    """The page's text as read: tags out, entities decoded, whitespace squashed."""
    text = re.sub(r"<[^>]+>", " ", resp.get_data(as_text=True))
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def field_errors(resp) -> list[str]:
    found = re.findall(r'<p class="error" id="[^"]+">([^<]+)</p>', resp.get_data(as_text=True))
    return [html.unescape(e) for e in found]


def store_of(app):
    return app.extensions["koordi.store"]


def entries(app) -> list[history.HistoryEntry]:
    with store_of(app).Session() as s:
        return history.sync_history(s)


def downloads(resp) -> tuple[str, str]:
    """The result page's two links: the email draft, then the zip."""
    draft, zip_link = re.findall(r'href="(/files/download/[^"]+)"', resp.get_data(as_text=True))
    return html.unescape(draft), html.unescape(zip_link)


def parse(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.default)


def attachment(msg) -> bytes:
    [part] = list(msg.iter_attachments())
    assert part.get_content_type() == "application/zip"
    return part.get_content()


def copy_of(store, **profile) -> bytes:
    """A "Move to another computer" file of a coordinator of its own (a source install)."""
    add_profile(store, **profile)
    fill_sample(store)
    with store.Session() as s:
        return prepare_export(s, history.COPY).data


def upload(c: AuthClient, data: bytes, name: str = "koordi_kopio.zip", csrf_from: str = "/sync/import"):
    return c.post("/sync/import", {"file": (io.BytesIO(data), name)}, csrf_from=csrf_from)


def waiting_ref(resp) -> str:
    assert resp.status_code == 302, words(resp)
    return re.fullmatch(r"/sync/import/([A-Za-z0-9_-]+)", resp.headers["Location"]).group(1)


@pytest.fixture
def filled(profiled, app) -> AuthClient:
    fill_sample(store_of(app))
    return profiled


# -- the page ------------------------------------------------------------------------------------


def test_the_page_says_what_will_go_where_before_anything_happens(filled, app):
    page = filled.get("/sync")
    assert page.status_code == 200
    text = words(page)
    with store_of(app).Session() as s:
        rows = prepare_export(s, history.CENTRAL).rows  # what a send would really hold
    assert f"Kaikki tietosi: {sum(rows.values())} riviä. Ensimmäisessä tiedostossa on aina kaikki." in text
    assert f"Yksiköt units.csv {rows['units.csv']}" in text
    assert "Vastaanottaja keskus@example.org · Vaihda osoite" in text
    assert "Viimeksi lähetetty Mitään ei ole vielä lähetetty." in text
    assert "Ellet valitse ruutuja, keskustoimisto saa vain luvut: ei muistiinpanoja eikä nimiä." in text
    body = page.get_data(as_text=True)
    for box in ("include_notes", "include_names", "full"):  # minimal unless the coordinator ticks a box
        assert "checked" not in re.search(rf'<input[^>]+id="{box}"[^>]*>', body).group(0)
    assert 'href="/settings"' in body  # where the address is changed
    assert "Lähetys- ja tuontihistoria Mitään ei ole vielä lähetetty, tallennettu eikä tuotu." in text
    assert '<a href="/sync" aria-current="page">Lähetys ja tuonti</a>' in body


def test_without_a_central_office_address_the_page_says_so_and_sends_nothing(filled, app):
    with store_of(app).Session() as s:
        s.query(CoordinatorProfile).one().central_office_email = ""
        s.commit()
    text = words(filled.get("/sync"))
    assert ("Keskustoimiston sähköpostiosoite puuttuu, joten Koordi ei tiedä, minne lähettää. Lisää se asetuksissa") in text
    assert "Tee sähköposti" not in text
    resp = filled.post("/sync/send", {"lang": "fi"}, csrf_from="/sync")
    assert resp.status_code == 302
    assert "Lisää ensin keskustoimiston sähköpostiosoite asetuksissa." in words(filled.get("/sync"))
    assert entries(app) == []


# -- send, in a browser --------------------------------------------------------------------------


def test_send_in_a_browser_offers_the_draft_and_the_zip_and_records_the_first_download(filled, app):
    page = filled.post("/sync/send", {"lang": "fi"}, csrf_from="/sync")
    assert page.status_code == 200
    text = words(page)
    assert "Sähköpostisi on valmis" in text and "Mitään ei ole vielä lähetetty." in text
    assert "uusi viesti osoitteeseen keskus@example.org tiedosto liitteenä" in text
    assert entries(app) == []  # prepared is not sent: nothing recorded before a file leaves Koordi

    draft_url, zip_url = downloads(page)
    draft = filled.get(draft_url)
    assert draft.status_code == 200 and draft.mimetype == "message/rfc822"
    disposition = draft.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and ".eml" in disposition
    [sent] = entries(app)
    zipped = filled.get(zip_url)
    assert zipped.status_code == 200 and zipped.mimetype == "application/zip"
    assert len(entries(app)) == 1  # one send, however many of its files are downloaded

    msg = parse(draft.data)
    assert msg["To"] == "keskus@example.org" and msg["X-Unsent"] == "1"
    assert msg["Subject"] == "Koordi-tiedot: Testi Koordinaattori, Länsi-Uusimaa, kaikki tiedot"
    assert attachment(msg) == zipped.data
    manifest = manifest_of(zipped.data)
    assert (sent.purpose, sent.kind, sent.recipient, sent.export_id) == (
        "central",
        "full",
        "keskus@example.org",
        manifest["export_id"],
    )
    assert sent.file_name == re.search(r"filename=(\S+\.zip)", zipped.headers["Content-Disposition"]).group(1)
    assert not manifest["notes_included"] and not manifest["names_included"]  # minimal by default

    again = filled.get(draft_url)  # each file once
    assert again.status_code == 302 and again.headers["Location"] == "/sync"
    text = words(filled.get("/sync"))
    assert "Tätä tiedostoa ei voi enää ladata" in text
    assert f"Viimeksi lähetetty {sent.at.astimezone(HELSINKI):%-d.%-m.%Y %-H.%M} ({sent.file_name})" in text
    # Right after a send nothing is waiting (the next file still starts a little before this one,
    # a margin the central office's merge absorbs, but that is not news to the coordinator).
    assert "Mitä lähtee Mitään ei ole muuttunut edellisen lähetyksen jälkeen." in text
    row = "Lähetetty keskustoimistolle Kaikki tiedot, ilman muistiinpanoja, ilman nimiä keskus@example.org "
    assert row + sent.file_name in text


def test_an_unused_result_page_records_nothing_and_the_next_send_is_still_full(filled, app):
    filled.post("/sync/send", {"lang": "fi"}, csrf_from="/sync")  # the page is left without downloading
    assert entries(app) == []
    page = filled.post("/sync/send", {"lang": "fi"}, csrf_from="/sync")
    draft_url, zip_url = downloads(page)
    assert manifest_of(filled.get(zip_url).data)["kind"] == "full"


def test_the_boxes_put_notes_and_names_in_and_the_language_is_chosen(filled, app):
    page = filled.post("/sync/send", {"lang": "sv", "include_notes": "y", "include_names": "y"}, csrf_from="/sync")
    draft_url, zip_url = downloads(page)
    data = filled.get(zip_url).data
    manifest = manifest_of(data)
    assert manifest["notes_included"] and manifest["names_included"]
    header, rows = table_cells(data, "units.csv")
    assert "Pilotti alkaa syksyllä" in " ".join(r[header.index("notes")] for r in rows)
    msg = parse(filled.get(draft_url).data)
    assert msg["Subject"] == "Koordi-uppgifter: Testi Koordinaattori, Västra Nyland, alla uppgifter"
    assert "Anteckningar: med" in msg.get_body(("plain",)).get_content()
    # "Send everything again" after a send: full once more.
    page = filled.post("/sync/send", {"lang": "fi", "full": "y"}, csrf_from="/sync")
    assert manifest_of(filled.get(downloads(page)[1]).data)["kind"] == "full"
    page = filled.post("/sync/send", {"lang": "fi"}, csrf_from="/sync")
    assert manifest_of(filled.get(downloads(page)[1]).data)["kind"] == "incremental"


def test_a_bad_choice_is_named_and_an_identity_code_stops_the_send(filled, app):
    resp = filled.post("/sync/send", {"lang": "de"}, csrf_from="/sync")
    assert resp.status_code == 422 and "Sähköpostin kieli" in words(resp) and field_errors(resp)
    code = hetu.generate(dt.date(1985, 7, 14), 123)
    with store_of(app).Session() as s:
        s.query(Unit).filter(Unit.name == "Äänekosken terveysasema").one().notes = f"Asiakas {code} soitti"
        s.commit()
    resp = filled.post("/sync/send", {"lang": "fi", "include_notes": "y"}, csrf_from="/sync")
    assert resp.status_code == 422
    text = words(resp)
    assert "Tiedostoa ei tehty" in text and "units.csv" in text and "notes" in text
    assert code not in resp.get_data(as_text=True)
    assert entries(app) == []


def test_switching_the_language_on_a_result_page_leads_back_not_to_an_error(filled):
    page = filled.post("/sync/send", {"lang": "fi"}, csrf_from="/sync")
    assert page.status_code == 200
    back = filled.post("/language", {"lang": "sv", "next": "/sync/send"}, csrf_from="/sync")
    assert back.headers["Location"] == "/sync/send"
    assert filled.get("/sync/send").headers["Location"] == "/sync"
    assert filled.get("/sync/import/abc/apply").headers["Location"] == "/sync/import/abc"
    assert filled.get("/sync/import/abc").headers["Location"] == "/sync/import"  # gone: the upload page says so


def test_unknown_download_refs_lead_back_with_a_message(profiled):
    resp = profiled.get("/files/download/not-a-ref?next=/sync")
    assert resp.status_code == 302 and resp.headers["Location"] == "/sync"
    back = profiled.get(resp.headers["Location"])
    assert back.status_code == 200
    assert (
        "Tätä tiedostoa ei voi enää ladata: kunkin tiedoston voi ladata kerran, ja vain niin kauan kuin Koordi "
        "on auki. Tee tiedosto uudelleen, jos tarvitset sitä."
    ) in words(back)
    assert profiled.get("/files/download/x?next=//evil.example").headers["Location"] == "/"


# -- send, in the window -------------------------------------------------------------------------


@pytest.fixture
def window(data_dir):
    """window(shell, folder=None) -> a client of the desktop window's app, profile and sample data in."""
    apps = []

    def make(shell: OsShell, folder: Path | None = None) -> AuthClient:
        app = create_app({"DATA_DIR": data_dir, "TESTING": True, "ALLOWED_HOSTS": ["localhost"], "SHELL": shell})
        apps.append(app)
        c = AuthClient(app)
        c.post("/setup", PROFILE, csrf_from="/setup")
        fill_sample(store_of(app))
        if folder is not None:
            with store_of(app).Session() as s:
                settings_ops.save_settings(s, {settings_ops.SAVE_MODE_KEY: "folder", settings_ops.SAVE_FOLDER_KEY: str(folder)})
        return c

    yield make
    for app in apps:
        store_of(app).dispose()


def test_in_the_window_the_zip_and_draft_are_saved_the_draft_opens_and_the_zip_is_shown(window, tmp_path):
    shell = RecordingShell()
    folder = tmp_path / "Documents" / "Koordi"
    c = window(shell, folder)
    resp = c.post("/sync/send", {"lang": "fi"}, csrf_from="/sync")
    assert resp.status_code == 302 and resp.headers["Location"] == "/sync"
    [zip_path] = folder.glob("*.zip")
    draft_path = zip_path.with_suffix(".eml")
    assert sorted(p.name for p in folder.iterdir()) == sorted([zip_path.name, draft_path.name])
    assert shell.opened == [draft_path]  # the mail client takes the draft
    assert shell.revealed == [zip_path]  # and the zip is shown anyway, in case it does not
    assert attachment(parse(draft_path.read_bytes())) == zip_path.read_bytes()
    [sent] = entries(c.app)
    assert sent.purpose == "central" and sent.file_name == zip_path.name
    text = words(c.get("/sync"))
    assert f"Tallennettu kansioon {folder}: tiedosto {zip_path.name} ja sähköpostiluonnos {draft_path.name}." in text
    assert "Näytä kansiossa" in text
    # A second send in the same minute: new names, the pair kept together, nothing overwritten.
    c.post("/sync/send", {"lang": "fi"}, csrf_from="/sync")
    assert len(list(folder.iterdir())) == 4
    second = shell.revealed[-1]
    assert second != zip_path and shell.opened[-1] == second.with_suffix(".eml")


def test_in_the_window_the_save_dialog_picks_the_place_and_cancel_sends_nothing(window, tmp_path):
    chosen = tmp_path / "chosen" / "minun_lahetys.zip"
    shell = RecordingShell(chosen)
    c = window(shell)
    c.post("/sync/send", {"lang": "fi"}, csrf_from="/sync")
    assert shell.asked[0][1].startswith("koordi_lansi-uusimaa_testi-koordinaattori_")
    assert chosen.exists() and chosen.with_suffix(".eml").exists()
    assert entries(c.app)[0].file_name == "minun_lahetys.zip"
    # The attachment keeps its own (ASCII) name whatever the local copy is called.
    [part] = list(parse(chosen.with_suffix(".eml").read_bytes()).iter_attachments())
    assert part.get_filename() == shell.asked[0][1]

    shell.answer = None
    c.post("/sync/send", {"lang": "fi"}, csrf_from="/sync")
    assert "Tiedostoa ei tallennettu." in words(c.get("/sync"))
    assert len(entries(c.app)) == 1 and len(shell.opened) == 1


def test_in_the_window_a_folder_that_cannot_be_written_records_nothing(window, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    shell = RecordingShell()
    c = window(shell, blocker / "Koordi")
    resp = c.post("/sync/send", {"lang": "fi"}, csrf_from="/sync")
    assert resp.status_code == 302
    assert f"Tiedostoa ei voitu tallentaa kansioon {blocker / 'Koordi'}:" in words(c.get("/sync"))
    assert entries(c.app) == [] and shell.opened == [] and shell.revealed == []


# -- the copy --------------------------------------------------------------------------------------


def test_the_copy_holds_everything_and_does_not_count_as_sent(filled, app):
    text = words(filled.get("/sync"))
    assert "Säilytä kopio huolellisesti: siinä on ihmisten nimiä ja muistiinpanojasi." in text
    resp = filled.post("/sync/copy", {}, csrf_from="/sync")
    assert resp.status_code == 200 and resp.mimetype == "application/zip"
    manifest = manifest_of(resp.data)
    assert manifest["kind"] == "full" and manifest["notes_included"] and manifest["names_included"]
    [entry] = entries(app)
    assert entry.purpose == "copy" and entry.recipient == ""
    text = words(filled.get("/sync"))
    row = f"Kopio toiselle tietokoneelle Kaikki tiedot, muistiinpanot mukana, nimet mukana – {entry.file_name}"
    assert row in text
    assert "Mitä lähtee Kaikki tietosi:" in text  # the next send to the central office is still full


def test_the_copy_in_the_window_is_saved_and_recorded(window, tmp_path):
    shell = RecordingShell()
    folder = tmp_path / "kopiot"
    c = window(shell, folder)
    c.post("/sync/copy", {}, csrf_from="/sync")
    [saved] = folder.glob("*.zip")
    assert manifest_of(saved.read_bytes())["names_included"]
    assert [(e.purpose, e.file_name) for e in entries(c.app)] == [("copy", saved.name)]


# -- import with a preview -----------------------------------------------------------------------


def test_a_new_laptop_starts_from_the_copy_and_becomes_the_same_coordinator(client, app, new_store, data_dir):
    source = new_store("old-laptop")
    data = copy_of(source, name="Essi Esimerkki", county="pohjanmaa", central_office_email="central@example.org")
    with source.Session() as s:
        source_profile = s.query(CoordinatorProfile).one()
    setup = client.get("/setup").get_data(as_text=True)
    assert 'href="/sync/import"' in setup and "Siirrätkö Koordin toiselta tietokoneelta?" in setup
    page = client.get("/sync/import")
    assert page.status_code == 200 and "main-nav" not in page.get_data(as_text=True)  # no profile yet: no menu

    ref = waiting_ref(upload(client, data, "koordi_pohjanmaa_essi-esimerkki.zip"))
    preview = client.get(f"/sync/import/{ref}")
    assert preview.status_code == 200
    text = words(preview)
    assert "Tarkista tiedosto ennen tuontia Mitään ei ole vielä tuotu." in text
    assert "Koordinaattori Essi Esimerkki (terapiakoordinaattori)" in text
    assert "Hyvinvointialue Pohjanmaa" in text
    assert "Sisältö Kaikki tiedot, muistiinpanot mukana, nimet mukana" in text
    assert "Tämä Koordi siirtyy tiedoston mukaisesti koordinaattorille Essi Esimerkki (Pohjanmaa)" in text
    assert "Yksiköt units.csv 3 3 0 0 0" in text  # in the file, new, changed, unchanged, deleted
    assert counts(store_of(app))["units"] == 0  # a preview writes nothing

    done = client.post(f"/sync/import/{ref}/apply", csrf_from=f"/sync/import/{ref}")
    assert done.status_code == 200
    text = words(done)
    assert "Tuonti on valmis" in text and "Koordi toi tiedoston koordi_pohjanmaa_essi-esimerkki.zip." in text
    assert "Tämä Koordi kuuluu nyt tiedoston tavoin koordinaattorille Essi Esimerkki (Pohjanmaa)." in text
    assert "Varmuuskopio tiedoistasi ennen tuontia:" in text
    assert list((data_dir / "backups").glob("*pre-import*"))
    with store_of(app).Session() as s:
        profile = s.query(CoordinatorProfile).filter_by(deleted=False).one()
        assert (profile.id, profile.name) == (source_profile.id, "Essi Esimerkki")
    assert counts(store_of(app)) == counts(source)
    dashboard = client.get("/")
    assert dashboard.status_code == 200 and "Essi Esimerkki · Pohjanmaa" in words(dashboard)
    [imported] = entries(app)
    assert imported.purpose == "import" and imported.file_name == "koordi_pohjanmaa_essi-esimerkki.zip"
    assert "Tuotu Kaikki tiedot" in words(client.get("/sync"))
    created = sum(c["created"] for c in imported.changes.values())  # over every file of the import
    assert created > 3 and f"(uusia {created}, muuttuneita 0, poistettuja 0)" in words(client.get("/sync"))
    assert not any(uploads.folder(data_dir).iterdir())  # the upload is gone

    again = client.post(f"/sync/import/{ref}/apply", csrf_from="/sync")  # a second apply of the same file
    assert again.status_code == 302 and again.headers["Location"] == "/sync/import"
    assert "Tiedosto ei enää odota tuontia" in words(client.get("/sync/import"))
    assert len(entries(app)) == 1


def test_a_new_install_cannot_start_from_changes_only_and_cancel_leads_back_to_the_welcome(client, new_store):
    source = new_store("old")
    copy_of(source)
    with source.Session() as s:
        changes = prepare_export(s, history.CENTRAL, full=False)  # the first is full: make it "changes"
    changes_only = repack(changes.data, manifest=lambda doc: doc.update(kind="incremental", since="2026-11-01T08:00:00Z"))
    ref = waiting_ref(upload(client, changes_only))
    text = words(client.get(f"/sync/import/{ref}"))
    assert "Koordi ei voi tuoda tätä tiedostoa" in text
    assert "tiedostossa ovat vain muutokset 1.11.2026 10.00 alkaen; aloita uusi Koordi" in text
    resp = client.post(f"/sync/import/{ref}/cancel", csrf_from=f"/sync/import/{ref}")
    assert resp.status_code == 302 and resp.headers["Location"] == "/setup"
    assert client.get("/").headers["Location"] == "/setup"  # still no profile: nothing was adopted


def test_importing_the_same_file_again_changes_nothing_and_says_so(client, app, new_store):
    data = copy_of(new_store("old"))
    ref = waiting_ref(upload(client, data))
    client.post(f"/sync/import/{ref}/apply", csrf_from=f"/sync/import/{ref}")
    before = digest(store_of(app).db_path)
    ref = waiting_ref(upload(client, data, csrf_from="/sync"))
    text = words(client.get(f"/sync/import/{ref}"))
    assert "Koordissa on jo kaikki tämän tiedoston tiedot: tuonti ei muuttaisi mitään." in text
    assert "Sulje tuomatta" in text
    assert f"/sync/import/{ref}/apply" not in client.get(f"/sync/import/{ref}").get_data(as_text=True)
    assert digest(store_of(app).db_path) == before


def test_cancel_discards_the_upload_and_changes_nothing(filled, app, new_store, data_dir):
    data = copy_of(new_store("mine"))
    before = digest(data_dir / DB_NAME)
    ref = waiting_ref(upload(filled, data, csrf_from="/sync"))
    assert any(uploads.folder(data_dir).iterdir())
    resp = filled.post(f"/sync/import/{ref}/cancel", csrf_from=f"/sync/import/{ref}")
    assert resp.status_code == 302 and resp.headers["Location"] == "/sync"
    assert "Tuonti peruttiin. Mitään ei muutettu." in words(filled.get("/sync"))
    assert not any(uploads.folder(data_dir).iterdir())
    assert filled.get(f"/sync/import/{ref}").status_code == 302
    assert digest(data_dir / DB_NAME) == before


def test_another_coordinator_s_file_is_refused_with_the_reason_and_nothing_is_written(filled, app, new_store, data_dir):
    data = copy_of(new_store("other"), name="Toinen Koordinaattori", county="pirkanmaa")
    before = digest(data_dir / DB_NAME)
    ref = waiting_ref(upload(filled, data, csrf_from="/sync"))
    preview = filled.get(f"/sync/import/{ref}")
    text = words(preview)
    assert preview.status_code == 200 and "Koordi ei voi tuoda tätä tiedostoa" in text
    assert (
        "tiedosto on koordinaattorilta Toinen Koordinaattori (Pirkanmaa), mutta tämä Koordi kuuluu "
        "koordinaattorille Testi Koordinaattori"
    ) in text
    assert f"/sync/import/{ref}/apply" not in preview.get_data(as_text=True)
    assert "<title>Virhe:" in preview.get_data(as_text=True)
    forced = filled.post(f"/sync/import/{ref}/apply", csrf_from="/sync")
    assert forced.status_code == 422 and "Koordi ei voi tuoda tätä tiedostoa" in words(forced)
    assert digest(data_dir / DB_NAME) == before
    assert entries(app) == []
    assert filled.get(f"/sync/import/{ref}").status_code == 200  # still waiting: the user can close it


def test_a_newer_format_and_bad_rows_are_shown_by_file_line_and_column(filled, app, new_store, data_dir):
    data = copy_of(new_store("src"))
    newer = repack(data, manifest=lambda doc: doc.update(schema_version=99))
    text = words(filled.get(f"/sync/import/{waiting_ref(upload(filled, newer, csrf_from='/sync'))}"))
    assert "tiedosto on tehty uudemmalla Koordilla (muodon versio 99" in text and "Päivitä Koordi" in text

    def spoil(header, rows):
        rows[0][header.index("professionals")] = "paljon"
        return header, rows

    bad = with_rows(data, "units.csv", spoil)
    text = words(filled.get(f"/sync/import/{waiting_ref(upload(filled, bad, csrf_from='/sync'))}"))
    assert "units.csv, rivi 2, sarake professionals: ei ole kokonaisluku (paljon)" in text
    assert "Mitään ei muutettu. Tiedostosta löytyi virheitä: 1." in text


def test_in_swedish_the_preview_speaks_swedish(filled, app, new_store):
    filled.post("/language", {"lang": "sv", "next": "/sync"})
    data = copy_of(new_store("sv"), name="Annan Koordinator", county="pohjanmaa")
    text = words(filled.get(f"/sync/import/{waiting_ref(upload(filled, data, csrf_from='/sync'))}"))
    assert "Kontrollera filen före importen" in text and "Koordi kan inte importera den här filen" in text
    assert "Välfärdsområde Österbotten" in text


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "tyhja.zip", "Tiedosto on tyhjä. Valitse Koordin tekemä .zip-tiedosto."),
        (b"%PDF-1.7 not a zip at all", "raportti.pdf", "Tämä ei ole zip-tiedosto."),
        (bytes(range(256)) * 64, "roskaa.zip", "Tämä ei ole zip-tiedosto."),
    ],
    ids=["empty", "pdf", "garbage"],
)
def test_bad_uploads_get_a_message_on_the_field_never_a_500(filled, data, name, message):
    resp = upload(filled, data, name, csrf_from="/sync")
    assert resp.status_code == 422
    [error] = field_errors(resp)
    assert error.startswith(message)
    assert "Koordi-tiedosto (.zip)" in words(resp)  # the error summary names the field


def test_no_file_chosen_and_a_zip_that_is_not_koordi(filled, data_dir):
    resp = filled.post("/sync/import", {}, csrf_from="/sync")
    assert resp.status_code == 422 and field_errors(resp) == ["Valitse tuotava tiedosto."]
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("kuva.txt", "ei Koordin tiedosto")
    text = words(filled.get(f"/sync/import/{waiting_ref(upload(filled, other.getvalue(), csrf_from='/sync'))}"))
    assert "Koordi ei voi tuoda tätä tiedostoa" in text and "Sulje tuomatta" in text


def test_a_truncated_export_is_not_a_zip(filled, new_store):
    data = copy_of(new_store("src"))
    resp = upload(filled, data[: len(data) // 2], csrf_from="/sync")
    assert resp.status_code == 422 and field_errors(resp)[0].startswith("Tämä ei ole zip-tiedosto.")


def test_a_file_over_the_upload_limit_is_named_on_the_field(filled):
    limit = filled.app.config["MAX_CONTENT_LENGTH"]
    assert limit == 64 * 1024 * 1024
    resp = upload(filled, b"\0" * (limit + 1), "iso.zip", csrf_from="/sync")
    assert resp.status_code == 413
    assert field_errors(resp) == [
        "Tiedosto on suurempi kuin 64 Mt, ja Koordi-tiedosto on paljon pienempi. Tarkista, että valitsit oikean tiedoston."
    ]


def test_a_new_upload_and_a_new_start_clear_older_uploads(filled, app, new_store, data_dir):
    data = copy_of(new_store("src"))
    first = waiting_ref(upload(filled, data, csrf_from="/sync"))
    second = waiting_ref(upload(filled, data, csrf_from="/sync"))
    assert filled.get(f"/sync/import/{first}").status_code == 302  # replaced by the newer upload
    assert filled.get(f"/sync/import/{second}").status_code == 200
    # A ref is never a path: with imports/ there, "../evil" would reach <data>/evil.zip but for the ref guard.
    evil = data_dir / "evil.zip"
    evil.write_bytes(data)
    assert (uploads.folder(data_dir) / "../evil.zip").is_file()  # the traversal would find the file
    assert uploads.waiting(data_dir, "../evil") is None
    assert uploads.claim(data_dir, "../evil") is None
    uploads.discard(data_dir, "../evil")
    assert evil.read_bytes() == data  # neither claimed (renamed) nor deleted
    again = create_app({"DATA_DIR": data_dir, "TESTING": True, "ALLOWED_HOSTS": ["localhost"]})
    try:
        assert not uploads.folder(data_dir).exists()  # a new launch starts with none waiting
    finally:
        store_of(again).dispose()
    assert uploads.waiting(data_dir, "../../koordi.sqlite3") is None


# -- every write needs the CSRF token ------------------------------------------------------------


@pytest.mark.parametrize("action", ["send", "copy", "upload", "apply", "cancel"])
def test_every_post_without_the_csrf_token_is_refused_and_does_nothing(filled, app, new_store, data_dir, action):
    data = copy_of(new_store("src"))
    ref = waiting_ref(upload(filled, data, csrf_from="/sync"))
    before = digest(data_dir / DB_NAME)
    path, form = {
        "send": ("/sync/send", {"lang": "fi"}),
        "copy": ("/sync/copy", {}),
        "upload": ("/sync/import", {"file": (io.BytesIO(data), "x.zip")}),
        "apply": (f"/sync/import/{ref}/apply", {}),
        "cancel": (f"/sync/import/{ref}/cancel", {}),
    }[action]
    resp = filled.http.post(path, data=form)
    assert resp.status_code == 400 and "Lomake vanheni" in words(resp)
    assert entries(app) == [] and digest(data_dir / DB_NAME) == before
    assert uploads.waiting(data_dir, ref) is not None  # the waiting file is untouched

"""Send and import in a real browser, on `koordi demo` data: a coordinator sends to the central
office (the .eml draft downloaded and parsed with `email`, its attachment the same bytes as the
zip download), saves a copy, and a second Koordi on an empty data folder starts from that copy on
its welcome page: preview, import, and the dashboard shows the same coordinator and records.
axe-core on every sync page and the preview and result pages, in fi and sv.

Run: .venv/bin/python -m pytest tests/browser/test_sync_journey.py -q -p no:cacheprovider
"""

from __future__ import annotations

import email
import email.policy
import io
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from app.core.geography import COUNTY_BY_KEY
from app.exchange import format as fmt
from tests.browser.conftest import assert_accessible, launch_demo_koordi, login, set_language, submit
from tests.conftest import ROOT, koordi_env

pytestmark = pytest.mark.browser

WORDS = {
    "fi": {
        "sync": "Lähetys ja tuonti",
        "make": "Tee sähköposti",
        "ready": "Sähköpostisi on valmis",
        "draft": "Lataa sähköpostiluonnos",
        "zip": "Lataa tiedosto",
        "copy": "Tallenna kopio",
        "move": "Tuo Koordi-tiedostosi",
        "check": "Tarkista tiedosto",
        "preview": "Tarkista tiedosto ennen tuontia",
        "import": "Tuo",
        "done": "Tuonti on valmis",
        "home": "Siirry etusivulle",
        "refused": "Koordi ei voi tuoda tätä tiedostoa",
        "close": "Sulje tuomatta",
        "import_page": "Tuo tiedosto",
        "sent_row": "Lähetetty keskustoimistolle",
        "not_zip": "Tämä ei ole zip-tiedosto.",
    },
    "sv": {
        "sync": "Sändning och import",
        "make": "Gör e-postmeddelandet",
        "ready": "Ditt e-postmeddelande är klart",
        "draft": "Ladda ner e-postutkastet",
        "zip": "Ladda ner filen",
        "copy": "Spara en kopia",
        "move": "Importera din Koordi-fil",
        "check": "Kontrollera filen",
        "preview": "Kontrollera filen före importen",
        "import": "Importera",
        "done": "Importen är klar",
        "home": "Gå till översikten",
        "refused": "Koordi kan inte importera den här filen",
        "close": "Stäng utan att importera",
        "import_page": "Importera en fil",
        "sent_row": "Skickat till centralkontoret",
        "not_zip": "Det här är inte en zip-fil.",
    },
}


@pytest.fixture(scope="module")
def demo_koordi(tmp_path_factory):
    """A server on a data folder that `koordi demo` filled (its profile included)."""
    koordi = launch_demo_koordi(tmp_path_factory.mktemp("sync-browser") / "data")
    yield koordi
    koordi.stop()


def query(data_dir: Path, sql: str):
    conn = sqlite3.connect(f"{(data_dir / 'koordi.sqlite3').as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def profile_of(data_dir: Path) -> dict:
    [(pid, name, county, address)] = query(
        data_dir, "SELECT id, name, county, central_office_email FROM coordinator_profile WHERE deleted = 0"
    )
    return {"id": pid, "name": name, "county": COUNTY_BY_KEY[county], "email": address}


def record_counts(data_dir: Path) -> dict[str, int]:
    tables = ("units", "events", "trainees", "guidance_sessions", "goals", "deployments")
    return {t: query(data_dir, f"SELECT count(*) FROM {t}")[0][0] for t in tables}


def path_of(page) -> str:
    return urlsplit(page.url).path


def heading(page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def download(page, locator, folder: Path) -> Path:
    with page.expect_download() as caught:
        locator.click()
    target = folder / caught.value.suggested_filename
    caught.value.save_as(target)
    return target


def test_send_to_the_central_office_then_start_a_new_laptop_from_the_copy(demo_koordi, fresh_koordi, new_context, tmp_path):
    w = WORDS["fi"]
    me = profile_of(demo_koordi.data_dir)
    page = new_context(accept_downloads=True).new_page()
    login(page, demo_koordi, "/sync")
    set_language(page, "fi")
    assert heading(page) == w["sync"]
    assert page.get_by_test_id("pending").inner_text().startswith("Kaikki tietosi:")
    # axe: this page with nothing sent is in the every-page sweep (tests/browser/test_every_page_axe.py);
    # the send's result, the first-run import, its preview and result in test_every_sync_page_passes_axe.

    # Send: the result page offers the draft and the zip.
    submit(page, page.get_by_role("button", name=w["make"]), "making the email")
    assert heading(page) == w["ready"]
    draft = download(page, page.get_by_role("link", name=w["draft"]), tmp_path)
    sent = download(page, page.get_by_role("link", name=w["zip"]), tmp_path)
    assert draft.suffix == ".eml" and sent.suffix == ".zip" and draft.stem == sent.stem
    msg = email.message_from_bytes(draft.read_bytes(), policy=email.policy.default)
    assert msg["To"] == me["email"] and msg["X-Unsent"] == "1"
    assert msg["Subject"] == f"Koordi-tiedot: {me['name']}, {me['county'].fi}, kaikki tiedot"
    [part] = list(msg.iter_attachments())
    assert part.get_filename() == sent.name and part.get_content() == sent.read_bytes()
    with zipfile.ZipFile(io.BytesIO(part.get_content())) as zf:
        assert "manifest.json" in zf.namelist() and len(zf.namelist()) == len(fmt.FILE_NAMES) + 1

    # The history shows it; right after a send nothing waits (the next send holds only later changes).
    page.goto(demo_koordi.url("/sync"))
    history = page.locator("section.sync-history tbody tr")
    assert history.count() == 1 and w["sent_row"] in history.first.inner_text()
    assert sent.name in history.first.inner_text() and me["email"] in history.first.inner_text()
    assert page.get_by_test_id("pending").inner_text() == "Mitään ei ole muuttunut edellisen lähetyksen jälkeen."
    assert_accessible(page, "fi sync page with history")

    # A copy to move to the new laptop.
    (tmp_path / "copy").mkdir()  # the copy may have the same name as the file sent this minute
    copy = download(page, page.get_by_role("button", name=w["copy"]), tmp_path / "copy")
    assert copy.suffix == ".zip"

    # The new laptop: an empty Koordi, started from its welcome page.
    laptop = new_context().new_page()
    login(laptop, fresh_koordi)
    assert path_of(laptop) == "/setup"
    set_language(laptop, "fi")
    with laptop.expect_navigation():
        laptop.get_by_role("link", name=w["move"]).click()
    assert path_of(laptop) == "/sync/import" and heading(laptop) == w["import_page"]
    laptop.set_input_files("#file", str(copy))
    submit(laptop, laptop.get_by_role("button", name=w["check"]), "uploading the copy")
    assert heading(laptop) == w["preview"]
    facts = laptop.locator("dl.facts").inner_text()
    assert me["name"] in facts and me["county"].fi in facts
    assert f"koordinaattorille {me['name']} ({me['county'].fi})" in laptop.locator("p.notice").inner_text()
    submit(laptop, laptop.get_by_role("button", name=w["import"], exact=True), "importing")
    assert heading(laptop) == w["done"]
    with laptop.expect_navigation():
        laptop.get_by_role("link", name=w["home"]).click()
    assert path_of(laptop) == "/"
    assert f"{me['name']} · {me['county'].fi}" in laptop.locator("p.lead").inner_text()
    assert profile_of(fresh_koordi.data_dir)["id"] == me["id"]  # the central office sees one coordinator
    assert record_counts(fresh_koordi.data_dir) == record_counts(demo_koordi.data_dir)
    [(unit_name,)] = query(demo_koordi.data_dir, "SELECT name FROM units WHERE deleted = 0 ORDER BY name LIMIT 1")
    laptop.goto(fresh_koordi.url("/units"))
    assert unit_name in laptop.locator("main").inner_text()


@pytest.fixture(scope="module")
def demo_copy(demo_koordi, tmp_path_factory) -> Path:
    """A copy of the demo data made with `koordi export --copy` (safe while Koordi runs)."""
    out = tmp_path_factory.mktemp("demo-copy") / "koordi_kopio.zip"
    result = subprocess.run(
        [sys.executable, "-m", "app", "export", "--copy", "--out", str(out), "--data-dir", str(demo_koordi.data_dir)],
        capture_output=True,
        text=True,
        env=koordi_env(),
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_sync_page_passes_axe(lang, demo_copy, fresh_koordi, new_context, tmp_path):
    w = WORDS[lang]
    page = new_context(accept_downloads=True).new_page()
    login(page, fresh_koordi)
    set_language(page, lang)
    page.get_by_role("link", name=w["move"]).click()
    page.wait_for_url("**/sync/import")
    assert_accessible(page, f"{lang} first-run import page")
    submit(page, page.get_by_role("button", name=w["check"]), "sending no file")
    assert page.locator("#file").get_attribute("aria-invalid") == "true"
    assert_accessible(page, f"{lang} import page with an error")
    page.set_input_files("#file", str(demo_copy))
    submit(page, page.get_by_role("button", name=w["check"]), "uploading the copy")
    assert heading(page) == w["preview"]
    assert_accessible(page, f"{lang} preview")
    submit(page, page.get_by_role("button", name=w["import"], exact=True), "importing")
    assert heading(page) == w["done"]
    assert_accessible(page, f"{lang} import result")

    page.goto(fresh_koordi.url("/sync"))
    assert heading(page) == w["sync"]
    assert_accessible(page, f"{lang} sync page")
    submit(page, page.get_by_role("button", name=w["make"]), "making the email")
    assert heading(page) == w["ready"]
    assert_accessible(page, f"{lang} result page of a send")
    download(page, page.get_by_role("link", name=w["zip"]), tmp_path)

    page.goto(fresh_koordi.url("/sync"))
    bad = tmp_path / "notes.txt"
    bad.write_text("not a zip")
    page.set_input_files("#file", str(bad))
    submit(page, page.get_by_role("button", name=w["check"]), "uploading a text file")
    assert page.locator("p.error").inner_text().startswith(w["not_zip"])
    assert_accessible(page, f"{lang} import page, not a zip")
    stranger = tmp_path / "stranger.zip"
    with zipfile.ZipFile(stranger, "w") as zf:
        zf.writestr("photo.txt", "not an export")
    page.set_input_files("#file", str(stranger))
    submit(page, page.get_by_role("button", name=w["check"]), "uploading a zip that is not Koordi's")
    assert w["refused"] in page.locator("#error-summary").inner_text()
    assert_accessible(page, f"{lang} preview with problems")
    submit(page, page.get_by_role("button", name=w["close"]), "closing the refused file")
    assert path_of(page) == "/sync"

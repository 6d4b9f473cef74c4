"""Merging from the office's window: several zips in one upload, each file's state followed,
refused files with their reasons by file, line and column, and the history of merged files."""

from __future__ import annotations

import io
import re

import pytest

from app.central.app import create_central_app, dispose
from tests.central.conftest import OfficeClient, office_config
from tests.sync.helpers import with_rows


@pytest.fixture
def empty_office(tmp_path):
    app = create_central_app(str(tmp_path / "uusi.sqlite3"), office_config(tmp_path))
    yield OfficeClient(app)
    dispose(app)


def _bad_cell(data: bytes) -> bytes:
    """units.csv's first record with "many" as its number of professionals."""

    def edit(header, rows):
        rows[0][header.index("professionals")] = "many"
        return header, rows

    return with_rows(data, "units.csv", edit)


def _upload(client, files: dict[str, bytes], **fields):
    data = {"files": [(io.BytesIO(content), name) for name, content in files.items()], **fields}
    return client.post("/files/merge", data, csrf_from="/files", content_type="multipart/form-data")


def _finished(client):
    [job] = client.app.extensions["koordi.central.jobs"].recent()
    job.thread.join(60)
    assert job.done
    return job


def test_two_good_files_and_a_bad_one(empty_office, central_files, tmp_path):
    a = central_files.senders["A"].files[0].read_bytes()
    b = central_files.senders["B"].files[0].read_bytes()
    r = _upload(empty_office, {"aino.zip": a, "rikki.zip": _bad_cell(a), "bertta.zip": b})
    assert r.status_code == 302
    page = r.headers["Location"]
    job = _finished(empty_office)
    assert [f.status for f in job.files] == ["merged", "refused", "merged"]
    html = empty_office.get(page).get_data(as_text=True)
    assert "Valmis: 3 tiedostosta 2 yhdistetty, 1 hylätty." in html
    refused = re.search(r'<li class="merge-file merge-refused">(.*?)</ul>', html, re.S).group(1)
    assert "rikki.zip" in refused and "siitä ei kirjoitettu mitään" in refused
    assert "units.csv, rivi 2, sarake professionals: ei ole kokonaisluku (many)" in refused
    assert "data-poll" not in html  # done: nothing to follow
    part = empty_office.get(page + "?part=status").get_data(as_text=True)
    assert part.startswith('<p class="merge-progress" role="status" data-done="true">') and "<html" not in part
    # The history: the two merged files, each linking to its coordinator's files.
    history = empty_office.get("/files").get_data(as_text=True)
    assert history.count('<th scope="row">aino.zip</th>') == 1 and '<th scope="row">bertta.zip</th>' in history
    assert "rikki.zip" not in history.split('id="history-heading"')[1]
    assert f'href="/reporting/coordinator/{central_files.senders["A"].id}#file-' in history
    # The uploaded copies are gone once the run has ended.
    assert not any((tmp_path / "office" / "uploads").rglob("*.zip"))


def test_the_same_file_again_changes_nothing_and_says_so(central_client, central_files):
    a = central_files.senders["A"].files[0].read_bytes()
    assert _upload(central_client, {"aino.zip": a}).status_code == 302
    job = _finished(central_client)
    outcome = job.files[0].outcome
    assert job.files[0].status == "merged" and outcome.total("created") == 0 and outcome.merged_before is not None


def test_no_file_and_no_csrf_token_are_refused(empty_office):
    r = empty_office.post("/files/merge", {}, csrf_from="/files", content_type="multipart/form-data")
    assert r.status_code == 422 and "Valitse yhdistettävät tiedostot." in r.get_data(as_text=True)
    bare = empty_office.http.post(
        "/files/merge", data={"files": [(io.BytesIO(b"x"), "x.zip")]}, content_type="multipart/form-data"
    )
    assert bare.status_code == 400
    assert (
        empty_office.app.extensions.get("koordi.central.jobs") is None
        or not empty_office.app.extensions["koordi.central.jobs"].recent()
    )
    assert empty_office.get("/files/merge/nothing").status_code == 404

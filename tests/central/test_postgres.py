"""The office's Koordi on a PostgreSQL database (the tests' real server): a merge from the
window, the grid, a coordinator's files, the roster, the merged files."""

from __future__ import annotations

import io

from app.central.app import create_central_app, dispose
from tests.central.conftest import OfficeClient, office_config
from tests.central.pages import cells_of


def test_the_office_on_postgresql(pg_url, central_files, tmp_path):
    url = pg_url()
    app = create_central_app(url, office_config(tmp_path))
    try:
        client = OfficeClient(app)
        a, b = central_files.senders["A"], central_files.senders["B"]
        files = [(io.BytesIO(s.files[0].read_bytes()), f"{s.key}.zip") for s in (a, b)]
        r = client.post("/files/merge", {"files": files}, csrf_from="/files", content_type="multipart/form-data")
        assert r.status_code == 302
        [job] = app.extensions["koordi.central.jobs"].recent()
        job.thread.join(60)
        assert [f.status for f in job.files] == ["merged", "merged"]
        assert "<dt>Koordinaattorit</dt><dd>2</dd>" in client.get("/").get_data(as_text=True)
        assert "password" not in client.get("/").get_data(as_text=True)
        form = {"name": "Kainuun koordinaattori", "county": "kainuu", "expected_from": "2026-01-01"}
        assert client.post("/settings/roster/new", form, csrf_from="/settings/roster/new").status_code == 302
        html = client.get("/reporting?from=2026-01&to=2026-03").get_data(as_text=True)
        assert cells_of(html, "Kainuun koordinaattori") == ["missing"] * 3
        assert cells_of(html, a.name) == ["not_expected"] * 3  # their first file came in December
        page = client.get(f"/reporting/coordinator/{a.id}")
        assert page.status_code == 200 and '<th scope="row">A.zip</th>' in page.get_data(as_text=True)
        assert '<th scope="row">B.zip</th>' in client.get("/files").get_data(as_text=True)
    finally:
        dispose(app)

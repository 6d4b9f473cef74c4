"""A file over the upload limit picked for import: the page says why before sending it.

The server (waitress) refuses such a request unread, cutting the upload off, so without
the page's own check the coordinator would see a browser error instead of a sentence.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.browser.conftest import login

LIMIT = 64 * 1024 * 1024  # the app's MAX_CONTENT_LENGTH


def test_a_file_over_the_limit_is_refused_on_the_page_with_the_reason(first_run_koordi, page, tmp_path):
    big = tmp_path / "koordi_iso.zip"
    with big.open("wb") as fh:
        fh.truncate(LIMIT + 1)  # sparse: nothing written to the disk
    login(page, first_run_koordi, "/sync/import")
    page.set_input_files("#file", str(big))
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.get_by_role("button", name="Tarkista tiedosto").click()
    page.wait_for_timeout(500)
    assert posts == [] and urlsplit(page.url).path == "/sync/import"  # nothing sent
    message = page.locator("#file").evaluate("el => el.validationMessage")
    assert (
        message
        == "Tiedosto on suurempi kuin 64 Mt, ja Koordi-tiedosto on paljon pienempi. Tarkista, että valitsit oikean tiedoston."
    )

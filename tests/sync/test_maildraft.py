"""The email draft of "Send to central office", parsed back with Python's own `email` package."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.policy

import pytest

from app.sync import history
from app.sync.export import prepare_export, record_export
from app.sync.maildraft import draft_for, draft_name
from tests.sync.helpers import add_profile, fill_sample, members

UTC = dt.UTC

SUBJECT = {
    "fi": "Koordi-tiedot: Testi Koordinaattori, Länsi-Uusimaa, kaikki tiedot",
    "sv": "Koordi-uppgifter: Testi Koordinaattori, Västra Nyland, alla uppgifter",
    "en": "Koordi data: Testi Koordinaattori, Länsi-Uusimaa, all data",
}
ROLE = {"fi": "terapiakoordinaattori", "sv": "terapikoordinator", "en": "therapy coordinator"}
PERIOD_FULL = {  # 1.12.2026 12.05 UTC is 14.05 in Helsinki (winter time, UTC+2)
    "fi": "Ajanjakso: kaikki tiedot 1.12.2026 14.05 asti (Suomen aikaa)",
    "sv": "Period: alla uppgifter fram till 1.12.2026 14.05 (finsk tid)",
    "en": "Period: all data up to 1.12.2026 14:05 (Finnish time)",
}
TOTAL = {"fi": "Rivejä: yhteensä {n}", "sv": "Rader: sammanlagt {n}", "en": "Rows: {n} in total"}
MADE_BY = {"fi": "Tiedoston teki Koordi", "sv": "Filen gjordes med Koordi", "en": "The file was made by Koordi"}


@pytest.fixture
def sample(store):
    add_profile(store)
    return fill_sample(store)


def parse(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.default)


def attachment_of(msg):
    [part] = list(msg.iter_attachments())
    return part


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_draft_is_addressed_worded_and_carries_the_zip(store, sample, lang):
    with store.Session() as s:
        result = prepare_export(s, history.CENTRAL, now=dt.datetime(2026, 12, 1, 12, 5, tzinfo=UTC))
    raw = draft_for(result, lang)
    msg = parse(raw)

    assert msg["To"] == "keskus@example.org"
    assert msg["From"] is None  # the mail client fills in the sender's own account
    assert msg["X-Unsent"] == "1"  # Outlook opens it as a new message to edit and send
    assert msg["Subject"] == SUBJECT[lang]

    body = msg.get_body(("plain",)).get_content()
    assert f"Testi Koordinaattori ({ROLE[lang]}, {SUBJECT[lang].split(', ')[1]})" in body
    assert PERIOD_FULL[lang] in body
    total = sum(result.rows.values())
    assert TOTAL[lang].format(n=total) in body
    for file, count in result.rows.items():
        assert (f"  {file}: {count}" in body) == (count > 0)
    assert f"{MADE_BY[lang]} {result.manifest['app_version']}." in body
    assert result.file_name in body

    part = attachment_of(msg)
    assert part.get_content_type() == "application/zip"
    assert part.get_filename() == result.file_name and result.file_name.isascii()
    assert part.get_content() == result.data
    assert set(members(part.get_content())) == set(members(result.data))


def test_the_draft_is_plain_ascii_with_crlf_so_any_client_reads_a_and_o(store, sample):
    with store.Session() as s:
        result = prepare_export(s, history.CENTRAL)
    raw = draft_for(result, "fi")
    assert raw.isascii()  # ä and ö travel encoded (RFC 2047 subject, quoted-printable/base64 body)
    assert b"\n" not in raw.replace(b"\r\n", b"")  # CRLF line ends, as SMTP and Outlook expect
    assert "Länsi-Uusimaa" in parse(raw)["Subject"]
    assert draft_name(result.file_name) == result.file_name[:-4] + ".eml"


def test_an_incremental_draft_names_its_period_and_large_numbers_read_the_finnish_way(store, sample):
    with store.Session() as s:
        first = prepare_export(s, history.CENTRAL, now=dt.datetime(2020, 1, 15, 10, 5, tzinfo=UTC))
        record_export(s, first, saved_as=first.file_name)
        second = prepare_export(s, history.CENTRAL, now=dt.datetime(2030, 6, 1, 9, 0, tzinfo=UTC))
    assert second.kind == "incremental"
    msg = parse(draft_for(second, "fi"))
    # since = the first export less the 10-minute overlap: 9.55 UTC = 11.55 in Helsinki (winter);
    # the end 9.00 UTC = 12.00 in Helsinki (summer time, UTC+3).
    assert msg["Subject"] == "Koordi-tiedot: Testi Koordinaattori, Länsi-Uusimaa, muutokset 15.1.2020 11.55 alkaen"
    body = msg.get_body(("plain",)).get_content()
    assert "Ajanjakso: muutokset 15.1.2020 11.55 – 1.6.2030 12.00 (Suomen aikaa)" in body

    # A large file: thousands are grouped with a no-break space, as Finnish writes them.
    manifest = {**second.manifest, "files": {**second.manifest["files"], "units.csv": {"rows": 12345, "sha256": ""}}}
    big = parse(draft_for(dataclasses.replace(second, manifest=manifest), "fi"))
    assert "  units.csv: 12\xa0345" in big.get_body(("plain",)).get_content()


def test_notes_and_names_are_stated_and_an_empty_period_says_so(store, sample):
    with store.Session() as s:
        result = prepare_export(s, history.CENTRAL, include_notes=True, include_names=False)
    body = parse(draft_for(result, "fi")).get_body(("plain",)).get_content()
    assert "Muistiinpanot: mukana" in body and "Nimet ja sähköpostiosoitteet: eivät mukana" in body

    empty = {**result.manifest, "files": {name: {"rows": 0, "sha256": ""} for name in result.manifest["files"]}}
    body = parse(draft_for(dataclasses.replace(result, manifest=empty), "sv")).get_body(("plain",)).get_content()
    assert "Rader: inga (ingenting ändrades under perioden)" in body and "units.csv" not in body.split("Fil:")[0]

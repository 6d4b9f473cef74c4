"""Bad files in a merge are refused whole, with the reason, while the other files merge; and any
order of the same files, any of them twice, gives the same central database (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.central.merge import MERGED, REFUSED
from app.central.schema import DATA, merged_files
from app.exchange import format as fmt
from app.exchange import problems as P
from app.exchange.problems import describe
from app.i18n import translator
from tests.sync.helpers import bad_checksum, members, repack, zip_bomb, zip_members
from tests.sync.merge_helpers import dump, merge, sqlite_target

en = translator("en")

BAD = {
    "checksum": (bad_checksum, ("units.csv", None, None, P.SHA_MISMATCH)),
    "truncated": (lambda data: data[: len(data) // 2], (None, None, None, P.NOT_ZIP)),
    "bomb": (zip_bomb, ("events.csv", None, None, P.BOMB)),
    "missing file": (lambda data: repack(data, {"goals.csv": None}), ("goals.csv", None, None, P.MISSING_MEMBER)),
    "extra file": (
        lambda data: zip_members({**members(data), "extra.txt": b"hello"}),
        ("extra.txt", None, None, P.UNEXPECTED_MEMBER),
    ),
}


@pytest.mark.parametrize("kind", BAD)
def test_a_bad_file_is_refused_and_the_others_merge(tmp_path, merge_exports, kind):
    make, expected = BAD[kind]
    c = merge_exports["C"]
    bad = tmp_path / f"bad-{kind.replace(' ', '-')}.zip"
    bad.write_bytes(make(c.files["full"].read_bytes()))
    target = sqlite_target(tmp_path)
    good = [merge_exports["B"].files["full"], merge_exports["D"].files["full"]]
    report = merge(target, [good[0], bad, good[1]])
    assert [f.status for f in report.files] == [MERGED, REFUSED, MERGED]
    refused = report.files[1]
    assert expected in [(p.file, p.line, p.column, p.code) for p in refused.problems]
    for problem in refused.problems:
        text = describe(problem, en)
        if problem.file:  # "units.csv: reason", or "units.csv, line 5, column date: reason"
            separator = ", " if problem.line is not None or problem.column else ": "
            assert text.startswith(problem.file + separator), text
        else:
            assert text and not text.startswith(("None", ":", ",")), text
    with target.connect() as conn:  # nothing of the bad file (coordinator C) was written, not even its log
        for spec in fmt.TABLES:
            table = DATA[spec.name]
            assert conn.scalar(select(func.count()).select_from(table).where(table.c.coordinator_id == c.id)) == 0
        assert conn.scalar(select(func.count()).select_from(merged_files)) == 2
    target.dispose()


def test_a_bad_row_refuses_the_whole_file(tmp_path, merge_exports):
    from tests.sync.helpers import with_rows

    def bad_date(header, rows):
        rows[-1][header.index("date")] = "31.2."
        return header, rows

    bad = tmp_path / "bad-date.zip"
    bad.write_bytes(with_rows(merge_exports["C"].files["full"].read_bytes(), "events.csv", bad_date))
    target = sqlite_target(tmp_path)
    [outcome] = merge(target, [bad]).files
    assert outcome.status == REFUSED
    [problem] = outcome.problems
    assert describe(problem, en).startswith("events.csv, line ") and "column date: not a date YYYY-MM-DD (31.2.)" in describe(
        problem, en
    )
    with target.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(DATA["units"])) == 0
    target.dispose()


@pytest.fixture(scope="module")
def reference(merge_exports, tmp_path_factory):
    """The central database of every file merged once, in the given order, notes and names kept."""
    folder = tmp_path_factory.mktemp("merge-reference")
    target = sqlite_target(folder)
    merge(target, merge_exports.latest, notes=True, names=True)
    yield dump(target)
    target.dispose()


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_order_and_repeats_of_the_files_give_the_same_database(tmp_path_factory, merge_exports, reference, data):
    files = merge_exports.latest
    order = data.draw(st.permutations(files))
    repeats = data.draw(st.lists(st.sampled_from(files), max_size=3))
    runs = data.draw(st.integers(1, 2))  # all in one run, or split over two runs
    sequence = order + repeats
    cut = data.draw(st.integers(0, len(sequence))) if runs == 2 else len(sequence)
    target = sqlite_target(tmp_path_factory.mktemp("merge-order"))
    try:
        merge(target, sequence[:cut], notes=True, names=True)
        if cut < len(sequence):
            merge(target, sequence[cut:], notes=True, names=True)
        assert dump(target) == reference
    finally:
        target.dispose()

"""Fuzz: mutated exports and random zips never make the reader or the planner raise.

The reader's last line of defence turns an unexpected exception into the problem
"unreadable" and logs it; these tests fail if that line is ever reached, so every
bad input must meet a check of its own.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import i18n
from app.exchange import format as fmt
from app.exchange import problems as P
from app.store import Store
from app.sync.importer import plan_import, read_for_import
from tests.sync.helpers import members, repack, sample_export, zip_members

# 100 inputs a test and run, new ones each run: 200 doubled the module's time in every CI run, for
# inputs mostly refused by the same first checks.
FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """A valid export and a database to plan against (the planner only reads it)."""
    source = Store.open(tmp_path_factory.mktemp("fuzz-source"))
    data = sample_export(source)
    source.dispose()
    target = Store.open(tmp_path_factory.mktemp("fuzz-target"))
    yield data, target
    target.dispose()


def check(target: Store, data: bytes) -> None:
    with target.Session() as s:
        plan = plan_import(s, read_for_import(s, data))  # must not raise
    assert P.UNREADABLE not in [p.code for p in plan.problems]
    if plan.ok:
        # Accepted: the whole file was read, and the preview says what each table would get.
        assert plan.read.ok and plan.summaries
        assert sum(summary.rows for summary in plan.summaries) == sum(plan.read.counts.values())  # rows read, not held
    else:
        # Refused: every reason is a sentence in the user's language, never a bare code.
        english = i18n.translator("en")
        for problem in plan.problems:
            worded = P.reason(problem, english)
            assert worded and worded != problem.code and "%(" not in worded


@FUZZ
@given(st.data())
def test_mutated_zip_bytes(env, data):
    valid, target = env
    raw = bytearray(valid)
    for _ in range(data.draw(st.integers(1, 6))):
        action = data.draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        at = data.draw(st.integers(0, max(0, len(raw) - 1)))
        if action == "flip" and raw:
            raw[at] = data.draw(st.integers(0, 255))
        elif action == "cut":
            del raw[at:]
        elif action == "insert":
            raw[at:at] = data.draw(st.binary(min_size=1, max_size=16))
        elif raw:
            del raw[at : at + data.draw(st.integers(1, 64))]
    check(target, bytes(raw))


SPECIAL = st.sampled_from([b";", b'"', b"\r\n", b"\n", b"\r", b"\x00", b"\xff", b"\xc3", b"'", b"=", b",", b"\xef\xbb\xbf"])


@FUZZ
@given(st.data())
def test_mutated_csv_files_with_fitting_checksums(env, data):
    """Past the zip and the checksums: the CSV parser, the header and the cell checks get the bytes."""
    valid, target = env
    name = data.draw(st.sampled_from(fmt.FILE_NAMES))
    raw = bytearray(members(valid)[name])
    for _ in range(data.draw(st.integers(1, 5))):
        at = data.draw(st.integers(0, len(raw)))
        if data.draw(st.booleans()):
            raw[at:at] = data.draw(SPECIAL | st.binary(min_size=1, max_size=8))
        else:
            del raw[at : at + data.draw(st.integers(1, 40))]
    check(target, repack(valid, {name: bytes(raw)}))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


@FUZZ
@given(st.data())
def test_mutated_manifests(env, data):
    valid, target = env

    def edit(doc):
        path = data.draw(
            st.sampled_from(
                [[k] for k in doc]
                + [["coordinator", k] for k in doc["coordinator"]]
                + [["files", n, "rows"] for n in doc["files"]]
                + [["files", n] for n in doc["files"]]
            )
        )
        node = doc
        for key in path[:-1]:
            node = node[key]
        if data.draw(st.booleans()):
            node[path[-1]] = data.draw(json_values)
        else:
            del node[path[-1]]
        return doc

    check(target, repack(valid, manifest=edit))


names = st.sampled_from([*fmt.FILE_NAMES, fmt.MANIFEST]) | st.text(min_size=1, max_size=30).filter(
    lambda n: not n.endswith("/") and "\x00" not in n  # names Python's zipfile cannot write
)


@FUZZ
@given(st.dictionaries(names, st.binary(max_size=200), max_size=16))
def test_random_zips(env, items):
    _valid, target = env
    check(target, zip_members(items))


@FUZZ
@given(st.dictionaries(names, st.binary(max_size=200), max_size=16), st.dictionaries(st.text(max_size=10), json_values))
def test_random_zips_with_a_koordi_manifest(env, items, extra):
    _valid, target = env
    manifest = {"format": fmt.FORMAT, "schema_version": 1, **extra}
    check(target, zip_members({**items, fmt.MANIFEST: json.dumps(manifest).encode()}))

"""A small merged database written row by row, for the national picture's exact figures.

Three fictional coordinators: A (Helsinki) and B (HUS) in Etelä-Suomi, C (Pohjois-Savo) in
Itä-Suomi; two national methods M1 and M2; the span January–June 2026. Each figure the tests
check is worked out here by hand, next to the rows it comes from (EXPECTED). Columns a test
does not care about get a neutral value, so the rows survive new columns in the schema.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, Date, DateTime, Engine, Integer, Time

from app.central.schema import DATA, coordinators, merged_files, open_target
from app.core.instruments import SEEDED
from app.store.seeds import indicator_id, instrument_id, item_id

SPAN = {"from": "2026-01", "to": "2026-06"}
DAY = dt.date(2026, 6, 30)
STAMP = dt.datetime(2026, 7, 1, 8, 0)
A, B, C = (str(uuid.uuid5(uuid.NAMESPACE_URL, f"koordi-test:{k}")) for k in "ABC")
COUNTY = {A: "helsinki", B: "hus", C: "pohjois-savo"}
NAME = {A: "Anna Testinen", B: "Bertil Provsson", C: "Cecilia Kokeilu"}
M1, M2 = str(uuid.uuid5(uuid.NAMESPACE_URL, "koordi-test:M1")), str(uuid.uuid5(uuid.NAMESPACE_URL, "koordi-test:M2"))
NOMAD = instrument_id("nomad-20")
SUS = instrument_id("sus")


def ids(prefix: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"koordi-test:{prefix}"))


def _neutral(column):
    if column.nullable:
        return None
    kind = type(column.type)
    return {Boolean: False, Integer: 0, Date: dt.date(2026, 1, 1), DateTime: STAMP, Time: dt.time(9, 0)}.get(kind, "")


def row(table: str, who: str, **values) -> dict:
    t = DATA[table]
    out = {c.name: _neutral(c) for c in t.c}
    out.update(
        coordinator_id=who,
        county=COUNTY[who],
        export_id=ids(f"export:{who}"),
        exported_at=STAMP,
        source_file=f"{NAME[who].split()[0]}_20260701.zip",
        merged_at=STAMP,
        created_at=STAMP,
        updated_at=STAMP,
        deleted=False,
    )
    out.update(values)
    return out


def build(target: str) -> Engine:
    engine = open_target(target)
    rows: dict[str, list[dict]] = {name: [] for name in DATA}

    def add(table: str, who: str, **values) -> None:
        rows[table].append(row(table, who, **values))

    for who in (A, B, C):
        add("methods", who, id=M1, key="m-yksi", name_fi="Menetelmä Yksi", name_sv="Metod Ett", name_en="Method One")
        add("methods", who, id=M2, key=None, name_fi="Menetelmä Kaksi", name_sv="Metod Två", name_en="Method Two")
    for who, unit in ((A, "uA1"), (A, "uA2"), (B, "uB1"), (C, "uC1")):
        add("units", who, id=ids(unit), name=f"Yksikkö {unit}", service_line="adult_mental_health", age_group="adults")

    # -- deployments (on 30.6.2026: dA1 pilot, dA2 training, dB1 in use, dC1 ended; dC2 deleted)
    def deployment(who, key, unit, method, phase, since, history):
        add("deployments", who, id=ids(key), unit_id=ids(unit), method_id=method, phase=phase, phase_since=since)
        for i, (day, p) in enumerate(history):
            add("deployment_phases", who, id=ids(f"{key}:{i}"), deployment_id=ids(key), phase=p, changed_on=day)

    d = dt.date
    deployment(
        A,
        "dA1",
        "uA1",
        M1,
        "pilot",
        d(2026, 3, 1),
        [(d(2025, 10, 1), "planned"), (d(2026, 1, 10), "training"), (d(2026, 3, 1), "pilot")],
    )
    deployment(A, "dA2", "uA2", M2, "training", d(2026, 5, 15), [(d(2026, 2, 1), "planned"), (d(2026, 5, 15), "training")])
    deployment(
        B,
        "dB1",
        "uB1",
        M1,
        "in_use",
        d(2025, 6, 1),
        [(d(2025, 1, 1), "planned"), (d(2025, 3, 1), "pilot"), (d(2025, 6, 1), "in_use")],
    )
    deployment(C, "dC1", "uC1", M1, "ended", d(2026, 6, 10), [(d(2026, 4, 1), "planned"), (d(2026, 6, 10), "ended")])
    deployment(C, "dC2", "uC1", M2, "in_use", d(2026, 1, 1), [])
    rows["deployments"][-1]["deleted"] = True

    # -- events
    def event(who, key, day, status, methods=(), attendance=(), deleted=False):
        add(
            "events",
            who,
            id=ids(key),
            type="training",
            title=f"Tapahtuma {key}",
            date=day,
            duration_minutes=60,
            status=status,
            deleted=deleted,
        )
        for m in methods:
            add("event_methods", who, id=ids(f"{key}:{m}"), event_id=ids(key), method_id=m)
        for unit, pro, sup, oth in attendance:
            add(
                "event_attendance",
                who,
                id=ids(f"{key}:{unit}"),
                event_id=ids(key),
                unit_id=ids(unit),
                professionals=pro,
                supervisors=sup,
                others=oth,
            )

    event(A, "e1", d(2026, 1, 15), "held", [M1], [("uA1", 5, 1, None)])
    event(A, "e2", d(2026, 2, 10), "held", [M1, M2], [("uA1", 3, None, None), ("uA2", 4, None, None)])
    event(A, "e3", d(2026, 3, 5), "cancelled")
    event(A, "e4", d(2026, 7, 1), "planned", [M1])  # after the span
    event(A, "e5", d(2026, 3, 20), "held", [M1], [("uA1", 50, 0, 0)], deleted=True)
    event(B, "e6", d(2026, 1, 20), "planned", [M1])
    event(B, "e7", d(2026, 4, 2), "held", [], [("uB1", 10, None, 2)])
    event(C, "e8", d(2026, 5, 5), "held", [M1], [("uC1", 2, None, None)])

    # -- method guidance
    for who, key, method in ((A, "tA1", M1), (A, "tA2", M1), (A, "tA3", M2), (B, "tB1", M1)):
        add("trainees", who, id=ids(key), method_id=method, profession="psykologi")

    def session(who, key, day, method, minutes, present=(), deleted=False):
        add(
            "guidance_sessions",
            who,
            id=ids(key),
            date=day,
            method_id=method,
            kind="group",
            duration_minutes=minutes,
            mode="remote",
            deleted=deleted,
        )
        for t in present:
            add("guidance_attendance", who, id=ids(f"{key}:{t}"), session_id=ids(key), trainee_id=ids(t))

    session(A, "g1", d(2026, 1, 12), M1, 60, ["tA1", "tA2"])
    session(A, "g2", d(2026, 2, 12), M1, 90, ["tA1"])
    session(A, "g3", d(2026, 4, 1), M2, 45, ["tA3"])
    session(B, "g4", d(2026, 3, 3), M1, 30, ["tB1"])
    session(B, "g5", d(2026, 3, 4), M1, 500, ["tB1"], deleted=True)
    session(C, "g6", d(2026, 6, 1), M1, 120)

    # -- surveys: the seeded NoMAD (20 items) and SUS, as every install has them
    for who in (A, B, C):
        for instrument in SEEDED:
            if instrument.key not in ("nomad-20", "sus"):
                continue
            iid = instrument_id(instrument.key)
            add(
                "instruments",
                who,
                id=iid,
                key=instrument.key,
                kind=instrument.kind.value,
                name_fi=instrument.names["fi"],
                name_sv=instrument.names["sv"],
                name_en=instrument.names["en"],
            )
            for position, item in enumerate(instrument.items):
                add(
                    "instrument_items", who, id=item_id(instrument.key, item.code), instrument_id=iid, code=item.code, position=position,
                    group_key=item.group, scale=item.scale.value, points=item.points, reversed=item.reversed,
                    not_applicable=item.not_applicable, label_fi=item.labels["fi"], label_sv=item.labels["sv"], label_en=item.labels["en"],
                )  # fmt: skip

    def survey(who, key, instrument, day, answered, unit, counts):
        add("survey_rounds", who, id=ids(key), instrument_id=instrument, method_id=M1, date=day, answered=answered, tool="manual")
        add("survey_round_units", who, id=ids(f"{key}:u"), round_id=ids(key), unit_id=ids(unit))
        ikey = "nomad-20" if instrument == NOMAD else "sus"
        for code, by_option in counts.items():
            for option, n in by_option.items():
                add(
                    "survey_counts",
                    who,
                    id=ids(f"{key}:{code}:{option}"),
                    round_id=ids(key),
                    item_id=item_id(ikey, code),
                    option=option,
                    count=n,
                )

    # FOLLOWUP.md's worked example: Coherence 148/37 = 4.00.
    survey(A, "r1", NOMAD, d(2026, 3, 10), 10, "uA1", {
        "CO1": {"sa": 3, "a": 4, "n": 1, "nr_role": 1, "nr_stage": 1},
        "CO2": {"sa": 1, "a": 5, "n": 2, "d": 1, "nr_stage": 1},
        "CO3": {"sa": 2, "a": 6, "n": 2},
        "CO4": {"sa": 4, "a": 4, "n": 1, "d": 1},
    })  # fmt: skip
    # 6 respondents: Σ v·n = 22 + 21 + 22 + 27 = 92 over 24 valid answers (3.83)
    survey(C, "r2", NOMAD, d(2026, 5, 20), 6, "uC1", {
        "CO1": {"sa": 1, "a": 2, "n": 3}, "CO2": {"a": 3, "n": 3}, "CO3": {"sa": 2, "a": 2, "d": 2}, "CO4": {"sa": 3, "a": 3},
    })  # fmt: skip
    # 4 respondents: a small round, never in the office's figures (it would pull Coherence to 1).
    survey(A, "r3", NOMAD, d(2026, 4, 15), 4, "uA2", {c: {"sd": 4} for c in ("CO1", "CO2", "CO3", "CO4")})
    # SUS: 5 people answering [4,2,4,1,4,2,5,2,4,2] (80), then 10 answering 3 everywhere (50): pooled 60, not 65.
    survey(
        B, "r4", SUS, d(2026, 2, 1), 5, "uB1", {f"SUS{i + 1}": {str(v): 5} for i, v in enumerate([4, 2, 4, 1, 4, 2, 5, 2, 4, 2])}
    )
    survey(C, "r5", SUS, d(2026, 5, 1), 10, "uC1", {f"SUS{i + 1}": {"3": 10} for i in range(10)})

    if "monthly_figures" in DATA:
        _indicators(add, rows)

    with engine.begin() as conn:
        for table, found in rows.items():
            if found:
                conn.execute(DATA[table].insert(), found)
        people = []
        files = []
        for who in (A, B, C):
            area = "ita-suomi" if who == C else "etela-suomi"
            people.append(
                {c.name: _neutral(c) for c in coordinators.c}
                | {"id": who, "name": NAME[who], "role": "therapy", "county": COUNTY[who], "cooperation_area": area}
                | {
                    "central_office_email": "keskus@example.org",
                    "last_export_id": ids(f"export:{who}"),
                    "last_exported_at": STAMP,
                }
                | {"last_file": f"{NAME[who].split()[0]}_20260701.zip", "first_merged_at": STAMP, "merged_at": STAMP}
            )
            files.append(
                {c.name: _neutral(c) for c in merged_files.c}
                | {
                    "sha256": ids(f"file:{who}").replace("-", "") + "0" * 32,
                    "export_id": ids(f"export:{who}"),
                    "coordinator_id": who,
                }
                | {"file_name": f"{NAME[who].split()[0]}_20260701.zip", "county": COUNTY[who], "kind": "full"}
                | {"exported_at": STAMP, "merged_at": STAMP, "result": "merged"}
            )
        # A's earlier monthly files (deadline 14 days): January on time, February to May late, June on time.
        for key, kind, since, at in (
            ("A0", "full", None, dt.datetime(2025, 12, 20, 9)),
            ("A1", "incremental", dt.datetime(2025, 12, 20, 9), dt.datetime(2026, 2, 5, 9)),
            ("A2", "incremental", dt.datetime(2026, 2, 5, 9), dt.datetime(2026, 4, 20, 9)),
        ):
            files.append(
                {c.name: _neutral(c) for c in merged_files.c}
                | {"sha256": ids(f"file:{key}").replace("-", "") + "1" * 32, "export_id": ids(f"export:{key}")}
                | {"coordinator_id": A, "file_name": f"Anna_{at:%Y%m%d}.zip", "county": COUNTY[A], "kind": kind}
                | {"since": since, "exported_at": at, "merged_at": STAMP, "result": "merged"}
            )
        files[0]["since"] = dt.datetime(2026, 4, 20, 9)  # A's July file follows the April one
        files[0]["kind"] = "incremental"
        conn.execute(coordinators.insert(), people)
        conn.execute(merged_files.insert(), files)
    return engine


TRAINED = indicator_id("professionals_trained")
DAYS = indicator_id("median_days_to_start")


def _indicators(add, rows) -> None:
    """Professionals trained (added up) and the median days to start (never combined), with goals:
    trained 3 + 4 (February's figure saved again: the later counts) + 5 + 1 = 13 in the span."""
    d = dt.date
    for who in (A, B, C):
        add("indicators", who, id=TRAINED, key="professionals_trained", name_fi="Koulutetut ammattilaiset",
            name_sv="Utbildade yrkespersoner", name_en="Professionals trained", measure="count", direction="higher",
            additive=True, per_method=True)  # fmt: skip
        add("indicators", who, id=DAYS, key="median_days_to_start", name_fi="Mediaaniaika tarpeesta hoidon alkuun (vrk)",
            name_sv="Mediantid från behov till start (dygn)", name_en="Median days from need to start", measure="days",
            direction="lower", additive=False, per_method=True)  # fmt: skip
    later = dt.datetime(2026, 7, 2, 8, 0)
    for who, key, unit, indicator, month, value, saved in (
        (A, "f1", "uA1", TRAINED, d(2026, 1, 1), 3, STAMP),
        (A, "f2", "uA1", TRAINED, d(2026, 2, 1), 2, STAMP),
        (A, "f2b", "uA1", TRAINED, d(2026, 2, 1), 4, later),
        (B, "f3", "uB1", TRAINED, d(2026, 1, 1), 5, STAMP),
        (C, "f4", "uC1", TRAINED, d(2026, 4, 1), 1, STAMP),
        (C, "f5", "uC1", TRAINED, d(2026, 8, 1), 9, STAMP),  # after the span
        (A, "f6", "uA1", DAYS, d(2026, 3, 1), 20, STAMP),
        (B, "f7", "uB1", DAYS, d(2026, 3, 1), 10, STAMP),
    ):
        add("monthly_figures", who, id=ids(key), indicator_id=indicator, unit_id=ids(unit), method_id=M1, month=month,
            value_milli=value * 1000, updated_at=saved)  # fmt: skip
    # Trained: A's 3 + 4 = 7 >= 5 achieved, C's 1 < 10 not; days: A's 20 > 13 not, B's 10 <= 13 achieved.
    for who, key, unit, indicator, target, direction in (
        (A, "goalA", "uA1", TRAINED, 5, "higher"),
        (C, "goalC", "uC1", TRAINED, 10, "higher"),
        (A, "goalA2", "uA1", DAYS, 13, "lower"),
        (B, "goalB", "uB1", DAYS, 13, "lower"),
    ):
        add("goals", who, id=ids(key), title=f"Tavoite {key}", unit_id=ids(unit), method_id=M1, target_value=target,
            status="open", indicator_id=indicator, direction=direction, counted_from=d(2026, 1, 1))  # fmt: skip

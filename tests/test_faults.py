"""kill -9 at random moments: nothing acknowledged is lost, the file stays intact, and the next
start needs no help (issue 11). Twenty trials here; bench/faults.py runs as many as asked."""

from __future__ import annotations

from pathlib import Path

from tests.faults import run_trials


def test_kill_9_at_random_moments_loses_nothing_acknowledged(tmp_path: Path):
    tally = run_trials(tmp_path / "data", trials=20, seed=11, max_write_s=0.4, start_kill_every=10)
    assert tally.trials == 20 and tally.acknowledged >= 20, tally
    assert tally.kills_during_start == 2
    assert tally.ok(), tally.problems
    # No time limit here (issue 17: speed lives in bench/): each start has its own timeout in
    # tests/faults.py, and bench/faults.py prints how long the starts took.

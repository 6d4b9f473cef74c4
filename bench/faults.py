"""kill -9 trials: a real `koordi serve`, writes over HTTP, a kill at a random moment, a restart.

    .venv/bin/python bench/faults.py                   # 200 trials in a temporary data folder
    .venv/bin/python bench/faults.py --trials 50 --seed 3 --data-dir /tmp/kf

Each trial: two writers POST units (and now and then a backup) as the window would, the server
is killed with SIGKILL after a random 0.02–0.6 s, every sixth restart is itself killed while it
starts, then Koordi is started again and checked (tests/faults.py): every acknowledged write is
there, PRAGMA integrity_check is ok, the start needed no help (no error, no recovery page), and
no unfinished backup file is left. The suite runs 20 of these (tests/test_faults.py).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.faults import run_trials  # noqa: E402 - after the path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-write", type=float, default=0.6, help="longest write phase before the kill, seconds")
    parser.add_argument("--data-dir", type=Path, default=None, help="default: a new temporary folder")
    args = parser.parse_args()

    def progress(tally):
        if tally.trials % 10 == 0:
            print(f"  {tally.trials} trials, {tally.acknowledged} acknowledged, {tally.lost} lost", flush=True)

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="koordi-faults-") as scratch:
        folder = args.data_dir or Path(scratch) / "data"
        tally = run_trials(folder, args.trials, args.seed, args.max_write, progress=progress)
    minutes = (time.monotonic() - started) / 60
    print(f"trials:                     {tally.trials}")
    print(f"acknowledged writes:        {tally.acknowledged}")
    print(f"lost:                       {tally.lost}")
    print(f"integrity failures:         {tally.integrity_failures}")
    print(f"restarts needing help:      {tally.restarts_needing_help}")
    print(f"unfinished files left:      {tally.parts_left}")
    print(f"kills during a start:       {tally.kills_during_start}")
    if tally.start_seconds:
        print(f"restart, median:            {statistics.median(tally.start_seconds):.1f} s")
    print(f"time:                       {minutes:.1f} min")
    for problem in tally.problems:
        print("  " + problem)
    return 0 if tally.ok() and tally.trials == args.trials else 1


if __name__ == "__main__":
    sys.exit(main())

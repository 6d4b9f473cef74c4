"""Merges started from the office's window: the uploaded files merged in a thread of their own,
by the same merge_files as `koordi merge`, while the page polls their state.

    job = jobs.start(engine, [(name, path), ...], MergeOptions(), folder)
    jobs.get(job.id)  -> the files' states: waiting, merging, merged, duplicate, refused

One run merges all the files of an upload, as `koordi merge FILE...` does (so a reference to a
row in another file of the same upload is found, and gaps are checked after the run). The
uploaded copies are removed when the run ends. Jobs live in memory for the launch: the merged
files themselves are logged in merged_files. A run's last step (`then`, the national picture's
figures of its first views: app.central.picture.prepare) runs after the files, before the run is
done, so the office's first look at the picture after a merge is not the one that computes it.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from app.central.merge import FileOutcome, MergeOptions, Progress, merge_files
from app.central.schema import reason_of

log = logging.getLogger(__name__)
WAITING, MERGING = "waiting", "merging"  # then the outcome's status: merged | refused | duplicate
KEEP = 20  # finished jobs remembered per launch


@dataclass
class FileState:
    name: str
    status: str = WAITING
    outcome: FileOutcome | None = None


@dataclass
class Job:
    id: str
    files: list[FileState]
    started_at: dt.datetime
    done: bool = False
    failed: str | None = None  # the database's reason when the run stopped ("" when unexpected)
    preparing: bool = False  # the files are merged; the national picture's figures are being computed
    thread: threading.Thread | None = field(default=None, repr=False)

    def count(self, *statuses: str) -> int:
        return sum(1 for f in self.files if f.status in statuses)

    @property
    def finished(self) -> int:
        return len(self.files) - self.count(WAITING, MERGING)


class _JobProgress(Progress):
    def __init__(self, job: Job):
        self.job = job

    def file_started(self, index: int, count: int, name: str) -> None:
        self.job.files[index - 1].status = MERGING

    def file_done(self, index: int, count: int, outcome: FileOutcome) -> None:
        state = self.job.files[index - 1]
        state.outcome = outcome
        state.status = outcome.status


class Jobs:
    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def recent(self) -> list[Job]:
        with self._lock:
            return sorted(self._jobs.values(), key=lambda j: j.started_at, reverse=True)

    def start(
        self,
        engine: Engine,
        files: list[tuple[str, Path]],
        options: MergeOptions,
        folder: Path,
        then: Callable[[], object] | None = None,
    ) -> Job:
        job = Job(secrets.token_urlsafe(12), [FileState(name) for name, _path in files], dt.datetime.now(dt.UTC))
        with self._lock:
            self._jobs[job.id] = job
            finished = [j for j in self._jobs.values() if j.done]
            for old in sorted(finished, key=lambda j: j.started_at)[:-KEEP] if len(finished) > KEEP else []:
                del self._jobs[old.id]
        job.thread = threading.Thread(
            target=self._run,
            args=(job, engine, [p for _n, p in files], options, folder, then),
            name="koordi-merge",
            daemon=True,
        )
        job.thread.start()
        return job

    def _run(
        self, job: Job, engine: Engine, paths: list[Path], options: MergeOptions, folder: Path, then: Callable[[], object] | None
    ) -> None:
        try:
            merge_files(engine, list(paths), options, progress=_JobProgress(job))
            if then is not None:
                job.preparing = True
                then()  # never raises for its own failures (prepare logs them): the merge stands
        except SQLAlchemyError as exc:
            log.warning("a merge from the window stopped: %s", reason_of(exc))
            job.failed = reason_of(exc)
        except Exception:
            log.exception("a merge from the window failed")
            job.failed = ""
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            job.done = True

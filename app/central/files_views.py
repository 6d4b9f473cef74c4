"""Merge from the window: choose or drop exported zips, follow each file's merge, read why a file
was refused (file, line, column), and the history of merged files.

    /files                 the form and the merged files (merging.index)
    /files/merge           POST: the upload; the run starts and the page follows it
    /files/merge/<job>     the run's files (?part=status: the part the page's script polls)

Same rules as `koordi merge` (app.central.merge.merge_files); the copies uploaded are kept in
<office folder>/uploads only while their run lasts.
"""

from __future__ import annotations

import math
import re
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from sqlalchemy import func, select
from wtforms import BooleanField

from app.central.merge import MergeOptions
from app.central.merge_jobs import Jobs
from app.central.office_routes import UPLOADS
from app.central.picture.prepare import prepare
from app.central.schema import coordinators, merged_files
from app.central.site import READ_ENGINE, reader, writer
from app.core.clock import today as wall_today
from app.core.geography import county_name
from app.exchange.problems import describe
from app.web.forms import KoordiForm
from app.web.i18n import current_language

JOBS = "koordi.central.jobs"
PER_PAGE = 50
SHOWN_PER_FILE = 50  # problems listed per file; the rest are counted
UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


class MergeForm(KoordiForm):
    files = MultipleFileField(
        _l("Export files (.zip)"),
        description=_l(
            "The zips the coordinators sent, e.g. koordi_lappi_essi-esimerkki_20261201-1405.zip. Choose several at once, or drop them here."
        ),
        render_kw={"accept": ".zip,application/zip", "multiple": True},
    )
    include_notes = BooleanField(
        _l("Keep notes"), description=_l("Free text (notes, topics, descriptions) of files that carry it.")
    )
    include_names = BooleanField(_l("Keep names"), description=_l("People's names and emails of files that carry them."))


def jobs() -> Jobs:
    return current_app.extensions.setdefault(JOBS, Jobs())


def safe_name(name: str | None, index: int) -> str:
    """The upload's own name, as the results show it, made safe as a file name."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = UNSAFE.sub("_", base).strip(" .")[:200]
    return base or f"file-{index}.zip"


def _history(page: int):
    conn = reader()
    total = conn.scalar(select(func.count()).select_from(merged_files)) or 0
    pages = max(1, math.ceil(total / PER_PAGE))
    page = min(max(page, 1), pages)
    query = (
        select(merged_files, coordinators.c.name.label("coordinator_name"))
        .select_from(merged_files.outerjoin(coordinators, coordinators.c.id == merged_files.c.coordinator_id))
        .order_by(merged_files.c.merged_at.desc(), merged_files.c.exported_at.desc(), merged_files.c.sha256)
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    )
    return list(conn.execute(query)), page, pages, total


def _index(form: MergeForm, status: int = 200):
    page = request.args.get("page", "1")
    rows, number, pages, total = _history(int(page) if page.isdigit() else 1)
    lang = current_language()
    return render_template(
        "merging/index.html",
        form=form,
        rows=rows,
        page=number,
        pages=pages,
        total=total,
        runs=jobs().recent(),
        county_name=lambda k: county_name(k, lang),
    ), status


def index():
    return _index(MergeForm(formdata=None))


def merge():
    form = MergeForm()
    valid = form.validate_on_submit()
    uploads = [f for f in (form.files.data or []) if getattr(f, "filename", "")] if valid else []
    if valid and not uploads:
        form.files.errors = [*form.files.errors, _("Choose the files to merge.")]
    if not uploads:
        return _index(form, 422)
    folder = Path(current_app.config["DATA_DIR"]) / UPLOADS / secrets.token_hex(8)
    saved: list[tuple[str, Path]] = []
    try:
        for index, upload in enumerate(uploads, start=1):
            name = safe_name(upload.filename, index)
            path = folder / f"{index:03d}" / name
            path.parent.mkdir(parents=True)
            upload.save(path)
            saved.append((name, path))
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    options = MergeOptions(form.include_notes.data, form.include_names.data)
    job = jobs().start(writer(), saved, options, folder, then=_picture_step())
    return redirect(url_for("merging.run", job_id=job.id))


def run(job_id: str):
    job = jobs().get(job_id)
    if job is None:
        abort(404)
    template = "merging/_status.html" if request.args.get("part") == "status" else "merging/run.html"
    return render_template(template, job=job, describe=lambda p: describe(p, _), shown=SHOWN_PER_FILE)


def _picture_step() -> Callable[[], int]:
    """The run's last step: the national picture's first views in the office's language, so the
    office's first look after the merge reads them (engines taken here: the run has no app context)."""
    read_engine, write_engine, lang = current_app.extensions[READ_ENGINE], writer(), current_language()
    return lambda: prepare(read_engine, write_engine, wall_today(), lang)

"""The sync page: send to the central office (an email draft with the zip), keep a copy,
import a file with a preview, and the sync history.

The operations are app.sync's own (export, maildraft, importer, history), the same
as `koordi export | import`; app.files hands the files over (window or browser).
The import pages are open before a profile exists: a new laptop starts from a copy.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app import files
from app.core.geography import county_name
from app.exchange.problems import describe
from app.models import current_profile
from app.store import StoreError
from app.sync import history, uploads
from app.sync.export import ExportRefused, prepare_export, record_export
from app.sync.forms import CopyForm, ImportForm, SendForm
from app.sync.pending import pending_export
from app.web.db import session, store, write_session
from app.web.errors import MESSAGES, render_error
from app.web.i18n import current_language


def _data_dir():
    return current_app.config["DATA_DIR"]


# -- the page ------------------------------------------------------------------------------------


def _send_form() -> SendForm:
    return SendForm(formdata=None, lang=current_language())


def _render_index(send_form=None, copy_form=None, import_form=None, refusal=None, status=200):
    s = session()
    profile = current_profile(s)
    return render_template(
        "sync/index.html",
        profile=profile,
        pending=pending_export(s),
        last=history.last_central(s),
        entries=history.sync_history(s, 50),
        send_form=send_form or _send_form(),
        copy_form=copy_form or CopyForm(formdata=None),
        import_form=import_form or ImportForm(formdata=None),
        refusal=refusal,
    ), status


def index():
    return _render_index()


def _refusal_lines(exc: ExportRefused) -> list[str]:
    return [
        _(
            "%(file)s, record %(id)s, column %(column)s: contains a personal identity code (%(code)s).",
            file=f.file,
            id=f.row_id,
            column=f.column,
            code=f.masked,
        )
        for f in exc.findings[:20]
    ]


# -- send to the central office ------------------------------------------------------------------


def send():
    form = SendForm()
    if not form.validate_on_submit():
        return _render_index(send_form=form, status=422)
    s = session()
    profile = current_profile(s)
    if not profile.central_office_email:
        flash(_("Add the central office's email address in Settings first."), "error")
        return redirect(url_for("sync.index"))
    try:
        result = prepare_export(
            s,
            history.CENTRAL,
            full=form.full.data,
            include_notes=form.include_notes.data,
            include_names=form.include_names.data,
            complete_through=form.complete_month if form.complete.data else None,
        )
    except ExportRefused as exc:
        return _render_index(send_form=form, refusal=_refusal_lines(exc), status=422)
    from app.sync import maildraft  # here: its email package is not a start-up's (issue 17)

    draft = maildraft.draft_for(result, form.lang.data)

    def recorded(saved_as: str) -> None:
        # Only once the files are saved, or the first download starts (see the report on "sent").
        record_export(write_session(), result, saved_as=saved_as)

    def sent_page(draft_url: str, zip_url: str):
        return render_template(
            "sync/sent.html",
            result=result,
            draft_url=draft_url,
            zip_url=zip_url,
            draft_name=maildraft.draft_name(result.file_name),
            recipient=profile.central_office_email,
            total=sum(result.rows.values()),
        )

    return files.deliver_draft(
        files.Outgoing(draft, maildraft.draft_name(result.file_name), maildraft.EML_TYPE),
        files.Outgoing(result.data, result.file_name, "application/zip"),
        back=url_for("sync.index"),
        on_saved=recorded,
        browser_page=sent_page,
    )


# -- a copy to move or keep ----------------------------------------------------------------------


def copy():
    form = CopyForm()
    if not form.validate_on_submit():
        return _render_index(copy_form=form, status=422)
    s = session()
    try:
        result = prepare_export(s, history.COPY)
    except ExportRefused as exc:
        return _render_index(refusal=_refusal_lines(exc), status=422)

    def recorded(saved_as: str) -> None:
        record_export(write_session(), result, saved_as=saved_as)

    return files.deliver(
        result.data, result.file_name, "application/zip", back=url_for("sync.index"), open_after=False, on_saved=recorded
    )


# -- import with a preview -----------------------------------------------------------------------


def _first_run() -> bool:
    return current_profile(session()) is None


def _render_import(form: ImportForm, status: int = 200):
    return render_template("sync/import.html", form=form, first_run=_first_run()), status


def _home():
    return url_for("settings.setup") if _first_run() else url_for("sync.index")


def import_start():
    return _render_import(ImportForm(formdata=None))


def import_upload():
    form = ImportForm()
    if not form.validate_on_submit():
        return _render_import(form, 422)
    upload = form.file.data
    staged, problem = uploads.stage(_data_dir(), upload.stream, upload.filename)
    if staged is None:
        form.file.errors = [
            _("The file is empty. Choose the .zip file that Koordi made.")
            if problem == uploads.EMPTY
            else _("This is not a zip file. Choose the .zip file that Koordi made (its name starts with koordi_).")
        ]
        return _render_import(form, 422)
    return redirect(url_for("sync.import_preview", ref=staged.ref))


def too_large(exc):  # the blueprint's 413 handler (routes.py)
    if request.endpoint != "sync.import_upload":
        return render_error(413, *MESSAGES[413])
    form = ImportForm(formdata=None)
    limit = current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
    form.file.errors = [
        _(
            "The file is larger than %(limit)s MB; a Koordi file is far smaller. Check that you picked the right file.",
            limit=limit,
        )
    ]
    return _render_import(form, 413)


def _gone():
    flash(
        _(
            "This file is no longer waiting for import: it was imported or cancelled already. "
            "Choose the file again if you need to."
        ),
        "info",
    )
    return redirect(url_for("sync.import_start"))


def _plan(path):
    from app.sync.importer import plan_import, read_for_import  # an import's code: not loaded at start-up (issue 17)

    s = session()
    return plan_import(s, read_for_import(s, path))


def _render_preview(upload: uploads.Upload, plan, status: int = 200):
    from app.sync import maildraft

    manifest = plan.read.manifest
    who = manifest.coordinator if manifest else None
    return render_template(
        "sync/preview.html",
        upload=upload,
        plan=plan,
        manifest=manifest,
        who=who,
        county=county_name(who.county, current_language()) if who else "",
        role=maildraft.role_in_text(who.role, _) if who else "",
        adopt=plan.adopt,
        problems=[describe(p, _) for p in plan.problems],
        first_run=_first_run(),
    ), status


def import_preview(ref: str):
    upload = uploads.waiting(_data_dir(), ref)
    if upload is None:
        return _gone()
    return _render_preview(upload, _plan(upload.path))


def import_apply(ref: str):
    from app.sync.importer import ImportRefused, apply_import

    upload = uploads.claim(_data_dir(), ref)
    if upload is None:
        return _gone()
    try:
        plan = _plan(upload.path)
        session().rollback()  # end this request's read: the import writes in its own transaction
        outcome = apply_import(store(), plan, file_name=upload.name)
    except ImportRefused as exc:
        uploads.release(upload)
        return _render_preview(upload, exc.plan, 422)
    except StoreError as exc:  # the data is busy in another program, or the backup failed
        uploads.release(upload)  # nothing was imported: the same file can be applied again
        flash(exc.describe(_), "error")
        return redirect(url_for("sync.import_preview", ref=ref))
    uploads.discard(_data_dir(), ref)
    who = outcome.plan.adopt
    return render_template(
        "sync/imported.html",
        upload=upload,
        outcome=outcome,
        adopted=who,
        county=county_name(who.county, current_language()) if who else "",
        first_run=False,
    )


def import_cancel(ref: str):
    uploads.discard(_data_dir(), ref)
    flash(_("The import was cancelled. Nothing was changed."), "info")
    return redirect(_home())


# The result pages answer a POST; the language buttons reload a page with a GET of its
# address. Those GETs lead back to the page the action started from, never to a 405.
def _after_action():
    return redirect(url_for("sync.index"))


def _after_import(ref: str):
    return redirect(url_for("sync.import_preview", ref=ref))

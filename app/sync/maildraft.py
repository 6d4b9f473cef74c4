"""The email draft of "Send to central office": an .eml file with the export zip attached.

    draft_for(result, lang) -> bytes          from an ExportResult (export.prepare_export)
    build_draft(data, manifest, file_name, lang) -> bytes

Koordi never sends anything itself: the .eml is opened with the computer's default
handler, and `X-Unsent: 1` makes Outlook open it as a new, editable message (To,
Subject and the attachment filled in) that the coordinator checks and sends. There is
no From header: the mail client fills in the sender's own account.

Pure (no Flask): the standard `email` package builds the message with the SMTP policy
(CRLF line ends); the subject is RFC 2047 encoded and the body quoted-printable or
base64 UTF-8 as the package chooses, so ä and ö survive any mail client.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP

from app import i18n
from app.core.geography import county_name
from app.exchange import format as fmt
from app.version import __version__

EML_TYPE = "message/rfc822"
ZIP_TYPE = ("application", "zip")


def draft_name(zip_name: str) -> str:
    """The draft's file name beside its zip: koordi_….zip -> koordi_….eml."""
    stem = zip_name[:-4] if zip_name.lower().endswith(".zip") else zip_name
    return stem + ".eml"


def draft_for(result, lang: str) -> bytes:
    """The draft of an ExportResult: its zip attached under its default (ASCII) name."""
    return build_draft(result.data, result.manifest, result.file_name, lang)


def role_in_text(role: str, _) -> str:
    # Lower case: the role stands in running text ("…of Essi (therapy coordinator, …)").
    labels = {
        "therapy": _("therapy coordinator"),
        "intervention": _("intervention coordinator"),
        "both": _("therapy and intervention coordinator"),
    }
    return labels.get(role, role)


def _number(n: int, lang: str) -> str:
    return i18n.format_number(n, lang, 0)


def texts(manifest: dict, file_name: str, lang: str) -> tuple[str, str]:
    """The subject and the plain-text body, in `lang`."""
    lang = i18n.normalise(lang)
    _ = i18n.translator(lang)
    who = manifest["coordinator"]
    name, county = who["name"], county_name(who["county"], lang)
    end = i18n.format_local_datetime(fmt.parse_timestamp(manifest["exported_at"]), lang)
    if manifest["kind"] == "full":
        short = _("all data")
        period = _("all data up to %(end)s (Finnish time)", end=end)
    else:
        since = i18n.format_local_datetime(fmt.parse_timestamp(manifest["since"]), lang)
        short = _("changes since %(since)s", since=since)
        period = _("changes from %(since)s to %(end)s (Finnish time)", since=since, end=end)
    subject = _("Koordi data: %(name)s, %(county)s, %(period)s", name=name, county=county, period=short)

    rows = {file: entry["rows"] for file, entry in manifest["files"].items()}
    total = sum(rows.values())
    lines = [
        _("Hello,"),
        "",
        _(
            "attached are the Koordi data of %(name)s (%(role)s, %(county)s).",
            name=name,
            role=role_in_text(who.get("role", ""), _),
            county=county,
        ),
        "",
        _("Period: %(period)s", period=period),
    ]
    if total:
        lines.append(_("Rows: %(total)s in total", total=_number(total, lang)))
        lines += [f"  {file}: {_number(count, lang)}" for file, count in rows.items() if count]
    else:
        lines.append(_("Rows: none (nothing changed in this period)"))
    lines += [
        _("Notes: included") if manifest["notes_included"] else _("Notes: not included"),
        _("Names and email addresses: included") if manifest["names_included"] else _("Names and email addresses: not included"),
        "",
        _("File: %(file)s", file=file_name),
        _("The file was made by Koordi %(version)s.", version=manifest.get("app_version") or __version__),
        "",
        _("Best regards,"),
        name,
    ]
    return subject, "\n".join(lines) + "\n"


def build_draft(data: bytes, manifest: dict, file_name: str, lang: str) -> bytes:
    """The .eml bytes: To the central office, subject and body in `lang`, the zip attached."""
    subject, body = texts(manifest, file_name, lang)
    msg = EmailMessage(policy=SMTP)
    msg["To"] = manifest["coordinator"]["central_office_email"]
    msg["Subject"] = subject
    msg["X-Unsent"] = "1"  # Outlook: open as a new message to edit and send, not as a received one
    msg.set_content(body, charset="utf-8")
    msg.add_attachment(data, maintype=ZIP_TYPE[0], subtype=ZIP_TYPE[1], filename=file_name)
    return msg.as_bytes(policy=SMTP)

"""The period report's "Phase history" section (issue 13): what the deployments' phase history
tells as it stood on the report's day (app.queries.phase_metrics.report_section): the medians
from planned to pilot and to in use, retention after the pilot, stalled deployments, pauses and
ends with their reasons; all deployments, then a table by method. The same words as the pages.
"""

from __future__ import annotations

from reportlab.lib.units import mm

from app.core import phase_metrics as pm
from app.i18n import format_number
from app.labels.deployments import STOP_REASON_LABELS
from app.labels.phase_metrics import MEDIAN_RULE, RETENTION_RULE, STALL_RULE, STOP_RULE
from app.pdf import blocks as b
from app.pdf.text import Texts, msgid_of
from app.queries.phase_metrics import ReportSection


def median(texts: Texts, m: pm.Median) -> str:
    """'45,5 days (n = 7)', or '– (n = 2)' below the minimum."""
    if m.days is None:
        return texts("– (n = %(n)s)", n=texts.number(m.n))
    return texts("%(days)s days (n = %(n)s)", days=format_number(m.days, texts.lang, 1, fixed=False), n=texts.number(m.n))


def share(texts: Texts, x: pm.Share) -> str:
    """'67 % (4 of 6)', or '– (n = 0)'."""
    if not x.n:
        return texts("– (n = %(n)s)", n=texts.number(0))
    return texts("%(percent)s %% (%(count)s of %(n)s)", percent=x.percent, count=texts.number(x.count), n=texts.number(x.n))


def stops(texts: Texts, x: pm.Stops) -> str:
    years = texts.number(x.years, 1)
    if x.rate is None:
        rate = texts("%(moves)s in %(years)s deployment-years", moves=texts.number(x.moves), years=years)
    else:
        rate = texts(
            "%(rate)s per 100 deployment-years (%(moves)s in %(years)s deployment-years)",
            rate=texts.number(x.rate, 1),
            moves=texts.number(x.moves),
            years=years,
        )
    return f"{share(texts, x.ever)}; {rate}"


def _cell_median(texts: Texts, m: pm.Median) -> str:
    days = "–" if m.days is None else format_number(m.days, texts.lang, 1, fixed=False)
    return f"{days} ({texts.number(m.n)})"


def _cell_share(texts: Texts, x: pm.Share) -> str:
    return "–" if not x.n else f"{x.percent} % ({texts.number(x.count)}/{texts.number(x.n)})"


def section(texts: Texts, data: ReportSection) -> list:
    _ = texts
    summary = data.overall
    out = [b.h2(_("Phase history"))]
    out.append(b.small(_("As the deployments' phase history stood on %(date)s.", date=texts.date(data.on))))
    if not summary.deployments:
        out.append(b.empty(_("No deployments on that day.")))
        return out
    retention = dict(summary.retention)
    pairs = [
        (_("Deployments"), texts.number(summary.deployments)),
        (_("Planned → pilot, median"), median(texts, summary.to_pilot)),
        (_("Planned → in use, median"), median(texts, summary.to_in_use)),
        (_("Stalled (in one phase for over %(months)s months)", months=data.months), texts.number(len(summary.stalled))),
        *((_("In use or embedded %(months)s months after the pilot", months=m), share(texts, retention[m])) for m in retention),
        (_("Ever paused"), stops(texts, summary.paused)),
        (_("Ever ended"), stops(texts, summary.ended)),
    ]
    out.append(b.facts(pairs, label_width=70 * mm))

    out.append(b.h3(_("Phase history by method")))
    rows = [_method_row(texts, method.name(texts.lang), s) for method, s in data.methods]
    out.append(
        b.table(
            [
                _("Method"),
                _("Deployments"),
                _("Planned → pilot, median days (n)"),
                _("Planned → in use, median days (n)"),
                _("Stalled"),
                *(_("In use or embedded after %(months)s months", months=m) for m in retention),
                _("Ever paused"),
                _("Ever ended"),
            ],
            rows,
            [0.22, 0.08, 0.11, 0.11, 0.07, 0.1, 0.1, 0.105, 0.105],
            numeric=range(1, 9),
            total=_method_row(texts, _("All methods"), summary),
            wide=True,
        )
    )

    paused, ended = dict(summary.paused.reasons), dict(summary.ended.reasons)
    if paused or ended:
        out.append(b.h3(_("Why deployments paused or ended")))
        out.append(
            b.table(
                [_("Reason"), _("Pauses"), _("Ends")],
                [
                    [texts.label(STOP_REASON_LABELS, r), texts.number(paused.get(r, 0)), texts.number(ended.get(r, 0))]
                    for r in pm.reason_order(paused, ended)
                ],
                [0.6, 0.2, 0.2],
                numeric=(1, 2),
                total=[_("Total"), texts.number(sum(paused.values())), texts.number(sum(ended.values()))],
                width=b.HALF_WIDTH * 1.4,
            )
        )
    rules = [
        texts(msgid_of(MEDIAN_RULE)),
        texts(msgid_of(STALL_RULE), months=data.months),
        texts(msgid_of(RETENTION_RULE)),
        texts(msgid_of(STOP_RULE)),
    ]
    out.append(b.small(" ".join(rules)))
    return out


def _method_row(texts: Texts, name: str, s: pm.Summary) -> list[str]:
    return [
        name,
        texts.number(s.deployments),
        _cell_median(texts, s.to_pilot),
        _cell_median(texts, s.to_in_use),
        texts.number(len(s.stalled)),
        *(_cell_share(texts, x) for _m, x in s.retention),
        _cell_share(texts, s.paused.ever),
        _cell_share(texts, s.ended.ever),
    ]

"""The words of the survey results and the schedule of due rounds, shared by the pages, the
documents and the CLI (lazy: rendered in the UI's or the document's language). The scoring rule is
one sentence, stated wherever a score is shown (FOLLOWUP.md: a design decision)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

SCORING_RULE = _l(
    "Koordi's rule: NoMAD answers score strongly agree 5 … strongly disagree 1 (CA2 reversed, 6 − v), "
    "“not relevant” answers and blanks are counted but not scored, and a construct's mean is pooled over all "
    "valid answers to its items (Σ v·n / Σ valid), shown only when at least half of its items were asked and "
    "each has at least 3 valid answers – it is not the mean of per-person construct scores."
)
USABILITY_RULE = _l(
    "SUS and UMUX-Lite are scored from the item means (0–100; 68 is the 50th percentile): with complete answers "
    "this equals the mean of the respondents' scores, but its spread cannot be recovered from counts."
)
POOLING_RULE = _l(
    "Figures over several rounds are pooled from the rounds' counts, never averaged from round means; "
    "constructs only over rounds that asked the same items."
)
SCHEDULE_RULE = _l(
    "Usability rounds fall due 1 and 5 months after a unit starts a method (enters pilot or in use), NoMAD rounds "
    "in the NoMAD months. A due round is done when a round of the same kind for the unit and method is dated "
    "from 2 weeks before it to 2 months after it; after that it is missed."
)

DUE_LABELS = {
    "usability-1": _l("Usability survey, 1 month"),
    "usability-5": _l("Usability survey, 5 months"),
    "nomad": _l("NoMAD survey"),
}

STATUS_LABELS = {
    "open": _l("Due"),
    "overdue": _l("Overdue"),
    "done": _l("Done"),
    "skipped": _l("Not done"),
    "missed": _l("Missed"),
    "upcoming": _l("Upcoming"),
}

NOT_RELEVANT_LABELS = {
    "nr_role": _l("to my role"),
    "nr_stage": _l("at this stage"),
    "nr_intervention": _l("to the intervention"),
}

WHY_NOT_LABELS = {
    "too_few_items": _l("fewer than half of its items asked"),
    "too_few_answers": _l("an item has fewer than 3 valid answers"),
    "mixed_scales": _l("its items have different scales"),
    "mixed_items": _l("the rounds asked different items"),
}


def due_label_key(due_key: str) -> str:
    """The DUE_LABELS key of a due round's key ("nomad-2026-06" -> "nomad")."""
    return "nomad" if due_key.startswith("nomad-") else due_key

"""Labels of the follow-up surveys' coded values: instrument kinds, item scales, NoMAD's
constructs, the survey tools a round came from (lazy: rendered in the UI language)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "nomad": _l("NoMAD"),
    "sus": _l("SUS"),
    "sus_positive": _l("SUS, all-positive version"),
    "umux_lite": _l("UMUX-Lite"),
    "custom": _l("Custom instrument"),
}

SCALE_LABELS = {
    "nomad": _l("Agree – disagree, with three “not relevant” options (NoMAD)"),
    "zero_ten": _l("0–10"),
    "points": _l("Points from 1 up"),
}

GROUP_LABELS = {
    "coherence": _l("Coherence"),
    "cognitive_participation": _l("Cognitive participation"),
    "collective_action": _l("Collective action"),
    "reflexive_monitoring": _l("Reflexive monitoring"),
    "general": _l("General questions"),
}

TOOL_LABELS = {
    "zef": _l("Zef"),
    "webropol": _l("Webropol"),
    "limesurvey": _l("LimeSurvey"),
    "forms": _l("Microsoft Forms or Google Forms"),
    "paper": _l("Paper"),
    "other": _l("Other"),
}

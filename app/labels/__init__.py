"""The words for the records' coded values (phases, event types, statuses, roles…), one module per
feature, in one package below the features: pages of one feature, the dashboard and the PDF
documents all show another feature's values, and none of them needs to import that feature."""


def label(labels: dict, value: str | None) -> str:
    """The label of `value`, or the raw value when a newer app version added it."""
    return str(labels.get(value, value or ""))

from tests.deployments.test_deployments import *  # noqa
from tests.common import errors_of

def test_dbg(en, app):
    unit = add_unit(app, "Tammisaaren terveysasema")
    first = create(en, unit, COOL_KIDS)
    r = move(en, first, "ended", "2026-02-01")
    print("STATUS", r.status_code, errors_of(text(r)))

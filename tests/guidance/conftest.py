"""The guidance tests read the English UI: the msgids, whatever state the catalogs are in.
(Finnish and Swedish coverage is tests/test_i18n.py's and the browser journey's job.)"""

from __future__ import annotations

import pytest


@pytest.fixture
def profiled(profiled):
    resp = profiled.post("/language", {"lang": "en", "next": "/"})
    assert resp.status_code == 302
    return profiled

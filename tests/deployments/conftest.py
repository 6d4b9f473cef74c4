from __future__ import annotations

import pytest


@pytest.fixture
def en(profiled):
    """A profiled client whose UI speaks English: assertions read the msgids themselves."""
    profiled.post("/language", {"lang": "en", "next": "/"})
    return profiled

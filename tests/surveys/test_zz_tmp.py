import pytest
from app.surveys import import_views
from tests.surveys.test_import import test_a_large_upload_is_parsed_in_memory_not_into_a_temporary_file as t
from tests.surveys.entry_data import c  # noqa

def test_without_override(c, app, monkeypatch):
    monkeypatch.setattr(import_views, "UPLOADS", ())
    with pytest.raises(AssertionError):
        t(c, app, monkeypatch)

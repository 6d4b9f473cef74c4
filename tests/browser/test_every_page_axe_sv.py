"""The every-page sweep of test_every_page_axe.py in Swedish, in a module of its own: the test
workers take whole modules (--dist loadfile), so the Finnish and the Swedish sweep, about two
minutes each, run side by side on their own demo servers instead of one after the other."""

from __future__ import annotations

from tests.browser import test_every_page_axe as sweep
from tests.browser.test_every_page_axe import demo_koordi  # noqa: F401  (a module-scoped fixture: this module's own server)


def test_every_page_and_state_passes_axe_and_fits_the_window_in_swedish(demo_koordi, new_context):
    sweep.test_every_page_and_state_passes_axe_and_fits_the_window("sv", demo_koordi, new_context)

"""The console's portfolio what-if (issue #17) in Kazakh and Russian at 1280 px and at 390 px: the form, then the
totals over the seeded book, in the page's language, with no sideways scroll and no serious accessibility issue."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import go, sign_in, sync_api
from tests.e2e.test_page_checks import AXE, LOCALES, VIEWPORTS, _axe, _fits

DONE = {"kk": "Дайын", "ru": "Готово"}
TOTALS = {"kk": "Бүкіл портфель бойынша қорытынды", "ru": "Итоги по всему портфелю"}
RUN = {"kk": "Есептеу", "ru": "Рассчитать"}


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_what_if_over_the_book_reads_in_the_page_language(server, new_page, screenshots, lang, device):
    options: dict[str, Any] = {"viewport": VIEWPORTS[device], "bypass_csp": True}  # axe is injected inline
    if device == "phone":
        options |= {"is_mobile": True, "has_touch": True}
    page: Any = new_page(LOCALES[lang], **options)
    sign_in(page, server.officer)
    page.goto("/console/portfolio")
    assert page.locator("button[type=submit]", has_text=RUN[lang]).count() == 1
    page.check("input[value=payment_cut_50]")
    go(page, "form.card button[type=submit]")
    assert page.locator("#totals").inner_text() == TOTALS[lang]
    loans = page.locator(".facts dd").first.inner_text()
    assert int(loans) > 0
    _fits(page)
    if AXE.exists():
        assert _axe(page) == []
    screenshots(page, f"40-portfolio-what-if-{lang}-{device}")


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_a_what_if_run_as_a_job_shows_its_progress_then_the_totals(server, new_page, screenshots, lang, device):
    options: dict[str, Any] = {"viewport": VIEWPORTS[device], "bypass_csp": True}
    if device == "phone":
        options |= {"is_mobile": True, "has_touch": True}
    page: Any = new_page(LOCALES[lang], **options)
    sign_in(page, server.officer)
    page.goto("/console/portfolio")
    page.check("input[value=recommended]")
    go(page, "form.card button[type=submit]")
    assert "/console/portfolio/jobs/" in page.url
    bar = page.locator("progress#progress")
    assert int(bar.get_attribute("max")) >= 3
    # the page refreshes itself every 2 s until the job is done
    sync_api.expect(page.locator("#progress-label")).to_have_text(DONE[lang], timeout=60_000)
    assert bar.get_attribute("value") == bar.get_attribute("max")
    assert page.locator("#totals").inner_text() == TOTALS[lang]
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    _fits(page)
    if AXE.exists():
        assert _axe(page) == []
    screenshots(page, f"41-portfolio-job-{lang}-{device}")


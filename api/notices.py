"""Rendering borrower notices: Jinja templates with Flask-Babel catalogues (kk, ru, en), HTML or PDF (WeasyPrint).

The texts live in ``api/translations/<lang>/LC_MESSAGES/messages.po``; the facts come from ``restructure.notices``.
Amounts and dates are formatted by Babel in the notice's locale: ``kk_KZ`` and ``ru_KZ`` print ``1 500 000,00 ₸``.
CLDR has no ``en_KZ`` and English knows the tenge only as ``KZT``, so English uses World English (``en_001``,
day-month-year dates) with a pattern that names the ₸ sign.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from flask import Flask, Response, current_app, g, render_template, request
from flask_babel import Babel, force_locale, format_currency, format_date, get_locale, gettext, refresh
from werkzeug.exceptions import NotAcceptable, ServiceUnavailable

from api.rule_texts import localise
from restructure.notices import Notice

HTML = "text/html"
PDF = "application/pdf"
MEDIA_TYPES = (HTML, PDF)
LOCALES = {"kk": "kk_KZ", "ru": "ru_KZ", "en": "en_001"}
_CURRENCY_PATTERNS = {"en": "'₸'#,##0.00"}

babel = Babel()


def _selected_locale() -> str | None:
    """The locale the notice view chose for this request (``None``: Babel's default)."""
    return g.get("notice_locale")


def money(amount: Decimal) -> str:
    """An amount in tenge in the current locale: ``1 500 000,00 ₸`` (kk, ru), ``₸1,500,000.00`` (en)."""
    locale = get_locale()
    pattern = _CURRENCY_PATTERNS.get(locale.language if locale else "")
    return format_currency(amount, "KZT", format=pattern)


def long_date(day: date) -> str:
    return format_date(day, "long")


def short_date(day: date) -> str:
    return format_date(day, "medium")


def init_app(app: Flask) -> None:
    """Bind Flask-Babel (catalogues in ``api/translations``) and the notice filters."""
    babel.init_app(app, locale_selector=_selected_locale)
    app.jinja_env.filters.update(money=money, long_date=long_date, short_date=short_date)


def negotiate() -> str:
    """``text/html`` (also for no or a wildcard ``Accept``) or ``application/pdf``; anything else is 406."""
    if not request.accept_mimetypes:
        return HTML
    best = request.accept_mimetypes.best_match(MEDIA_TYPES)
    if best is None:
        raise NotAcceptable(f"A notice is available as {' or '.join(MEDIA_TYPES)}.")
    return best


def render_html(notice: Notice, lang: str) -> str:
    """The notice's HTML in ``lang`` (kk, ru or en)."""
    g.notice_locale = LOCALES[lang]
    if notice.schedule is not None and notice.schedule.notes:
        worded = tuple(note if isinstance(note, str) else localise(note, lang).get("text", "")
                       for note in notice.schedule.notes)
        notice = replace(notice, schedule=replace(notice.schedule, notes=worded))
    refresh()  # Babel caches the locale per request
    lender = current_app.config["RESTRUCTURE"].get("LENDER_NAME")
    return render_template(f"notices/{notice.kind}.html", notice=notice, lang=lang, lender=lender)


PDF_UNAVAILABLE = (
    "PDF notices are not available on this server: WeasyPrint needs the system libraries Pango >= 1.44 and the"
    " DejaVu fonts (on Debian, as root: apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)."
    " The notice is available as text/html."
)


def render_pdf(html: str) -> bytes:
    """The HTML typeset by WeasyPrint; the stylesheet names DejaVu Sans, which covers ә ғ қ ң ө ұ ү һ і and ₸."""
    try:
        import weasyprint  # heavy import, only when a PDF is asked for
    except OSError as exc:  # the system's Pango is missing: say so instead of failing with a 500
        raise ServiceUnavailable(PDF_UNAVAILABLE) from exc

    pdf = weasyprint.HTML(string=html).write_pdf()
    assert pdf is not None  # noqa: S101 - no target given, so the bytes are returned
    return pdf


def response(notice: Notice, lang: str, media_type: str) -> Response:
    """The notice as an HTTP response in ``media_type``."""
    filename = f"notice-{notice.application_id}-{notice.kind}-{lang}.pdf"
    return document_response(render_html(notice, lang), lang, media_type, filename)


def document_response(html: str, lang: str, media_type: str, pdf_name: str) -> Response:
    """A rendered letter or notice as HTML, or as the PDF ``pdf_name`` (``media_type`` from :func:`negotiate`)."""
    headers = {"Content-Language": lang, "Vary": "Accept"}
    if media_type == PDF:
        headers["Content-Disposition"] = f'inline; filename="{pdf_name}"'
        return Response(render_pdf(html), mimetype=PDF, headers=headers)
    return Response(html, mimetype=HTML, headers=headers)


def _subjects() -> dict[str, str]:
    return {
        "acknowledgement": gettext("Your restructuring application was received"),
        "counter_offer": gettext("A counter-offer on your restructuring application"),
        "agreement": gettext("Your restructuring application was agreed"),
        "refusal": gettext("Your restructuring application was refused"),
        "document_request": gettext("Documents for your restructuring application"),
    }


def outbox_text(notice: Notice) -> tuple[str, str]:
    """The subject and the HTML body the outbox sends, in the notice's language."""
    html = render_html(notice, notice.language)
    with force_locale(LOCALES[notice.language]):
        return _subjects()[notice.kind], html

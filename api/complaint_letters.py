"""Rendering complaint letters (answer, thank-you letter, refusal on the merits) with the notices' machinery:
the same Flask-Babel catalogues, locales, stylesheet and PDF typesetting as ``api/notices.py``."""

from __future__ import annotations

from flask import Response, current_app, g, render_template
from flask_babel import force_locale, gettext, refresh

from api import notices as rendering
from api.runtime import uow
from restructure.complaints_letters import Letter, letter
from restructure.complaints_orm import Complaint


def render_html(item: Letter, lang: str) -> str:
    """The letter's HTML in ``lang`` (kk, ru or en)."""
    g.notice_locale = rendering.LOCALES[lang]
    refresh()
    lender = current_app.config["RESTRUCTURE"].get("LENDER_NAME")
    return render_template("notices/complaint_letter.html", letter=item, lang=lang, lender=lender)


def response(complaint: Complaint, lang: str | None, media_type: str | None = None) -> Response:
    """The letter as HTML or PDF (by the Accept header unless given); in the complaint's language unless ``lang``."""
    media_type = media_type or rendering.negotiate()
    item = letter(uow(), complaint)
    language = lang or item.language
    html = render_html(item, language)
    return rendering.document_response(html, language, media_type, f"{item.number}-{item.kind}-{language}.pdf")


def _subjects() -> dict[str, str]:
    return {
        "complaint_answer": gettext("The answer to your complaint"),
        "complaint_thanks": gettext("Thank you for your suggestion"),
        "complaint_refusal": gettext("Your complaint cannot be considered on the merits"),
    }


def outbox_text(item: Letter) -> tuple[str, str]:
    """The subject and the HTML body of the cabinet's copy, in the complaint's language."""
    html = render_html(item, item.language)
    with force_locale(rendering.LOCALES[item.language]):
        return f"{_subjects()[item.kind]} {item.number}", html

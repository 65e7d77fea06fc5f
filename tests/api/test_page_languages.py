"""Every page of the seeded demo, for every role, in Kazakh and in Russian: no English word from the catalogue's
source (an msgid shown untranslated), no raw code (``income_loss``, ``office``) and no rule id without its name.

The demo (api/demo.py) drives an application into each state and a complaint into each state through the real
services; the crawl follows every link a page offers (GET only) from each role's home page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel.messages.pofile import read_po
from flask import Flask

from api.demo import seed
from api.web.names import rule_ids
from restructure.orm import Application, Borrower

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "api" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
STAFF = ("credit_officer", "rights_officer", "admin", "lawyer", "director")
SKIP = re.compile(r"\.pdf$|/notice(\.html)?$|^/language/|^/sign-out|^/pages-static/")
RULE_ID = re.compile(r"\b[RE]-[A-Z0-9]+(?:-[A-Z0-9]+)*\b")
LATIN_WORD = re.compile(r"\b[A-Za-z][A-Za-z_]{2,}\b")
# Latin words a Kazakh or Russian page may show: units, abbreviations and the seeded data's own numbers
ALLOWED = {"pdf", "sso", "demo", "out", "npv"}


class _Text(HTMLParser):
    """The visible text (no scripts, styles or the language switcher's codes) and the links of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0
        self._stack: list[bool] = []
        self.lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang") or ""
        hidden = tag in ("script", "style", "title") or (tag == "nav" and "langs" in (attributes.get("class") or ""))
        # what a person wrote (a statement, a complaint) is marked with its own language and is not the page's words
        hidden = hidden or (tag != "html" and attributes.get("lang") not in (None, self.lang))
        if tag in ("br", "img", "input", "meta", "link", "hr", "wbr", "source", "area", "col"):
            if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
                self.parts.append(attributes["value"] or "")
            return
        self._stack.append(hidden)
        self._hidden += hidden
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("br", "img", "input", "meta", "link", "hr", "wbr", "source", "area", "col"):
            return
        if self._stack:
            self._hidden -= self._stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible(html: str) -> tuple[str, list[str]]:
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts)), parser.links


def _vocabulary() -> set[str]:
    """The Latin words of every English source text, and of every code the pages name."""
    from api.web.names import all_codes

    with CATALOGUE.open("rb") as handle:
        ids = [m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id]
    words = {w.lower() for text in ids for w in LATIN_WORD.findall(re.sub(r"%\(\w+\)s", " ", text))}
    words |= {c.lower() for c in all_codes()}
    return words - ALLOWED


def problems_of(text: str, vocabulary: set[str], names: dict[str, str]) -> list[str]:
    found = []
    for rule in set(RULE_ID.findall(text)):
        if rule not in names or f"{names[rule]} ({rule})" not in text:
            found.append(f"rule id without its name: {rule}")
    words = RULE_ID.sub(" ", re.sub(r"\b(?:IN|OUT|DEMO|T)-[\d-]+\b", " ", text))
    for word in LATIN_WORD.findall(words):
        if "_" in word or word.lower() in vocabulary:
            found.append(f"English or a raw code: {word!r}")
    return found


@pytest.fixture
def demo(app: Flask, token_for) -> Iterator[dict[str, list[dict[str, str]]]]:
    """The demo book, with a page user for every borrower (named in Cyrillic) and one per staff role."""
    from api.runtime import runtime
    from restructure.uow import UnitOfWork

    seed(app, lambda line: None)
    with UnitOfWork(runtime(app).session_factory) as uow:
        borrowers = list(uow.session.query(Borrower.id))
    users = {"borrower": [token_for("borrower", borrower_id=b.id, name="Қарыз алушы") for b in borrowers]}
    users |= {role: [token_for(role, name="Маман")] for role in STAFF}
    with UnitOfWork(runtime(app).session_factory) as uow:
        users["applications"] = [{"id": str(a.id)} for a in uow.session.query(Application.id)]
    yield users


def crawl(client, start: str, limit: int = 150) -> Iterator[tuple[str, str]]:
    seen, queue = {start}, [start]
    while queue and len(seen) <= limit:
        path = queue.pop(0)
        response = client.get(path)
        if response.status_code in (301, 302, 303):
            location = urlsplit(response.headers["Location"])
            target = location.path + (f"?{location.query}" if location.query else "")
            if target not in seen:
                seen.add(target)
                queue.append(target)
            continue
        if response.status_code != 200 or not response.mimetype == "text/html":
            continue
        text, links = visible(response.get_data(as_text=True))
        yield path, text
        for link in links:
            parts = urlsplit(link)
            if parts.netloc or not parts.path.startswith("/") or SKIP.search(parts.path):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen:
                seen.add(target)
                queue.append(target)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_no_page_shows_english_a_raw_code_or_a_bare_rule_id(app, client, demo, page_sign_in, lang):
    from flask_babel import force_locale

    from api.notices import LOCALES
    from api.web.names import code_name

    vocabulary = _vocabulary()
    with app.test_request_context(), force_locale(LOCALES[lang]):
        names = {rule: code_name("rule", rule) for rule in rule_ids()}
    problems: dict[str, list[str]] = {}
    pages = 0
    for role, users in demo.items():
        if role == "applications":
            continue
        for headers in users:
            page_sign_in(headers, lang=lang)
            for path, text in crawl(client, "/"):
                pages += 1
                found = problems_of(text, vocabulary, names)
                if found:
                    problems.setdefault(f"{role} {path}", sorted(set(found)))
    for application in demo["applications"]:  # the notices, in the same language
        response = client.get(
            f"/api/v1/applications/{application['id']}/notice",
            query_string={"lang": lang},
            headers=demo["credit_officer"][0] | {"Accept": "text/html"},
        )
        if response.status_code == 200:
            pages += 1
            found = problems_of(visible(response.get_data(as_text=True))[0], vocabulary, names)
            if found:
                problems.setdefault(f"notice of application {application['id']}", sorted(set(found)))
    assert pages > 40, pages
    assert not problems, "\n".join(f"{where}: {', '.join(found)}" for where, found in sorted(problems.items()))

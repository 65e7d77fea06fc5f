"""The outbox's channels: e-mail by SMTP, SMS through a pluggable gateway, and the borrower's cabinet."""

from __future__ import annotations

import json
import smtplib
from collections.abc import Mapping
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from restructure.orm import OutboxMessage
from restructure.outbox import Channel, Receipt


class CabinetChannel:
    """The notice is in the borrower's cabinet the moment it is sent: delivered at once."""

    def send(self, message: OutboxMessage) -> Receipt:
        return Receipt(delivered=True)


class SmtpChannel:
    """``smtp://[user:password@]host[:port]?from=address`` (``smtp+starttls://``, ``smtps://`` for TLS).

    The SMTP server's acceptance is ``sent``; e-mail has no delivery report, so ``delivered_on`` stays empty.
    """

    def __init__(self, url: str, *, timeout: float = 30) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtp+starttls", "smtps") or not parts.hostname:
            raise ValueError("RESTRUCTURE_SMTP_URL must be smtp://, smtp+starttls:// or smtps://host[:port]")
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port or (465 if parts.scheme == "smtps" else 25)
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.sender = parse_qs(parts.query).get("from", ["noreply@localhost"])[0]
        self.timeout = timeout

    def send(self, message: OutboxMessage) -> Receipt:
        if not message.recipient:
            raise ValueError("no recipient")
        email = EmailMessage()
        email["From"] = self.sender
        email["To"] = message.recipient
        email["Subject"] = message.subject
        email["Message-ID"] = f"<{message.key.replace(':', '.')}@restructure>"
        email.set_content(message.body)
        smtp_class = smtplib.SMTP_SSL if self.scheme == "smtps" else smtplib.SMTP
        with smtp_class(self.host, self.port, timeout=self.timeout) as smtp:
            if self.scheme == "smtp+starttls":
                smtp.starttls()
            if self.user:
                smtp.login(self.user, self.password or "")
            smtp.send_message(email)
        return Receipt(delivered=False)


class SmsGateway(Protocol):
    """A provider's API: send one text to one number; say whether delivery is already known."""

    def send_sms(self, phone: str, text: str, *, reference: str) -> bool: ...


class FileSmsGateway:
    """Development gateway: appends each SMS as a JSON line to ``<directory>/sms.ndjson`` and reports it
    delivered (a real provider reports later, through ``restructure.outbox.record_delivery``)."""

    def __init__(self, directory: str | Path) -> None:
        self.path = Path(directory) / "sms.ndjson"

    def send_sms(self, phone: str, text: str, *, reference: str) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = {"at": datetime.now(UTC).isoformat(), "to": phone, "text": text, "reference": reference}
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
        return True


class SmsChannel:
    def __init__(self, gateway: SmsGateway) -> None:
        self.gateway = gateway

    def send(self, message: OutboxMessage) -> Receipt:
        if not message.recipient:
            raise ValueError("no recipient")
        return Receipt(delivered=self.gateway.send_sms(message.recipient, message.body, reference=message.key))


def channels_from(settings: Mapping[str, object]) -> dict[str, Channel]:
    """The configured channels: e-mail when ``SMTP_URL`` is set, SMS (file gateway) when ``SMS_DIR`` is."""
    out: dict[str, Channel] = {"cabinet": CabinetChannel()}
    if settings.get("SMTP_URL"):
        out["email"] = SmtpChannel(str(settings["SMTP_URL"]))
    if settings.get("SMS_DIR"):
        out["sms"] = SmsChannel(FileSmsGateway(str(settings["SMS_DIR"])))
    return out

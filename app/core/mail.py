"""Email delivery backends: .eml files for development, SMTP in production."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app


def build_message(to_address: str, subject: str, body_text: str, sender: str, message_id: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to_address
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id or make_msgid(domain="ourchoice.test")
    message.set_content(body_text)
    return message


class FileBackend:
    """Writes each email as an .eml file that any mail program can open."""

    def __init__(self, directory: str):
        self.directory = Path(directory)

    def send(self, message: EmailMessage, name: str) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{name}.eml"
        path.write_bytes(bytes(message))


class SMTPBackend:
    def __init__(self, config):
        self.config = config

    def send(self, message: EmailMessage, name: str) -> None:
        cfg = self.config
        if cfg["MAIL_USE_SSL"]:
            server: smtplib.SMTP = smtplib.SMTP_SSL(
                cfg["MAIL_SERVER"], cfg["MAIL_PORT"], context=ssl.create_default_context(), timeout=30
            )
        else:
            server = smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=30)
        with server:
            if cfg["MAIL_USE_TLS"] and not cfg["MAIL_USE_SSL"]:
                server.starttls(context=ssl.create_default_context())
            if cfg["MAIL_USERNAME"]:
                server.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
            server.send_message(message)


def get_backend():
    config = current_app.config
    if config["MAIL_BACKEND"] == "smtp":
        return SMTPBackend(config)
    if config["MAIL_BACKEND"] == "file":
        return FileBackend(config["MAIL_FILE_DIR"])
    raise RuntimeError(f"Unknown MAIL_BACKEND {config['MAIL_BACKEND']!r} (use 'file' or 'smtp')")

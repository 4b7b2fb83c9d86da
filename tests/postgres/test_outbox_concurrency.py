"""Several `flask outbox send` processes at once never send the same email twice."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy import select

from app.core import mail
from app.core.models import OutboxMessage
from app.core.notifications import queue_email, send_pending
from app.extensions import db


def test_parallel_senders_send_each_email_exactly_once(pg_app, monkeypatch):
    for n in range(60):
        queue_email(f"person{n}@example.org", f"Message {n}", "Hello", kind="invitations")
    db.session.commit()

    file_backend = mail.FileBackend(pg_app.config["MAIL_FILE_DIR"])

    class SlowBackend:
        def send(self, message, name):
            time.sleep(0.005)  # widen the window in which two senders could collide
            file_backend.send(message, name)

    monkeypatch.setattr(mail, "get_backend", lambda: SlowBackend())
    barrier = threading.Barrier(4)
    results = []

    def sender():
        with pg_app.app_context():
            barrier.wait()
            results.append(send_pending(limit=60))

    threads = [threading.Thread(target=sender) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(sent for sent, _ in results) == 60
    assert len(list(Path(pg_app.config["MAIL_FILE_DIR"]).glob("*.eml"))) == 60
    db.session.expire_all()
    messages = db.session.scalars(select(OutboxMessage)).all()
    assert all(m.sent_at is not None and m.attempts == 1 for m in messages)

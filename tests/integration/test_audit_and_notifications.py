"""The audit log (append-only, filterable by admins) and notifications with the email outbox."""

from datetime import timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from app.core import audit
from app.core.models import AuditEvent, Notification, OutboxMessage
from app.core.notifications import notify, send_pending
from app.core.timeutil import utcnow
from app.extensions import db
from tests.conftest import outbox
from tests.factories import UserFactory

# --- Audit log ---------------------------------------------------------------------------------


def test_audit_events_cannot_be_changed_through_the_orm(app, holder):
    event = audit.record("test.event", actor=holder)
    db.session.commit()
    event.action = "tampered"
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, event.id))
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.commit()
    db.session.rollback()


def test_audit_events_cannot_be_changed_in_the_database(app, holder):
    audit.record("test.event", actor=holder)
    db.session.commit()
    for statement in ("UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(text(statement))
        db.session.rollback()
    assert db.session.scalar(select(AuditEvent.action)) == "test.event"


def test_audit_event_is_kept_only_if_the_change_is(app, holder):
    audit.record("test.rolled_back", actor=holder)
    db.session.rollback()
    assert db.session.scalar(select(AuditEvent)) is None


def test_admin_filters_the_audit_log(client, login, admin_user, holder):
    audit.record("sign_in.failed", actor=holder)
    audit.record("invitation.sent", actor=admin_user, object_type="Invitation", object_id=7)
    db.session.commit()
    login(admin_user)
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "sign_in.failed" in page and "invitation.sent" in page

    page = client.get("/admin/audit?action=sign_in.failed").get_data(as_text=True)
    assert "1 event found" in page and holder.email in page and "Invitation 7" not in page

    page = client.get(f"/admin/audit?actor_email={admin_user.email.upper()}").get_data(as_text=True)
    assert "1 event found" in page and "Invitation 7" in page

    page = client.get("/admin/audit?object_type=Invitation&object_id=7").get_data(as_text=True)
    assert "1 event found" in page


def test_audit_date_filter_uses_london_days(client, login, admin_user):
    old = AuditEvent(action="old.event", occurred_at=utcnow() - timedelta(days=10), details={})
    db.session.add(old)
    audit.record("new.event")
    db.session.commit()
    login(admin_user)
    today = utcnow()
    page = client.get(f"/admin/audit?since={today.day}&since={today.month}&since={today.year}").get_data(as_text=True)
    assert "new.event" in page and "old.event</td>" not in page


def test_audit_bad_date_is_explained_not_a_crash(client, login, admin_user):
    login(admin_user)
    response = client.get("/admin/audit?since=31&since=2&since=2026")
    assert response.status_code == 400
    assert "govuk-error-summary" in response.get_data(as_text=True)
    response = client.get("/admin/audit?since=5")  # only the day box sent
    assert response.status_code == 400


# --- Notifications and the outbox --------------------------------------------------------------


def test_notify_writes_the_notification_and_the_email_in_one_transaction(app, holder):
    notify(holder, "invitations", "Hello", "Body text", link="/account")
    db.session.rollback()
    assert db.session.scalar(select(Notification)) is None
    assert db.session.scalar(select(OutboxMessage)) is None

    notify(holder, "invitations", "Hello", "Body text", link="/account")
    db.session.commit()
    message = outbox(holder.email)[0]
    assert message.subject == "Hello"
    assert "http://localhost/account" in message.body_text


def test_unknown_kind_is_a_bug(app, holder):
    with pytest.raises(ValueError):
        notify(holder, "no_such_kind", "x")


def test_unread_count_and_marking_read(client, login, holder):
    for n in range(3):
        notify(holder, "invitations", f"Message {n}")
    db.session.commit()
    login(holder)
    page = client.get("/").get_data(as_text=True)
    assert '3<span class="govuk-visually-hidden"> unread</span>' in page
    first = db.session.scalar(select(Notification).order_by(Notification.id))
    client.submit(f"/notifications/{first.id}/read", {}, form_url="/notifications")
    assert first.read_at is not None
    assert '2<span class="govuk-visually-hidden"> unread</span>' in client.get("/").get_data(as_text=True)
    client.submit("/notifications/read-all", {}, form_url="/notifications")
    assert "unread</span>" not in client.get("/").get_data(as_text=True)


def test_cannot_mark_someone_elses_notification(client, login, holder):
    other = UserFactory()
    note = notify(other, "invitations", "Private")
    db.session.commit()
    login(holder)
    client.submit(f"/notifications/{note.id}/read", {}, form_url="/notifications")
    assert note.read_at is None
    assert "Private" not in client.get("/notifications").get_data(as_text=True)


def test_outbox_send_writes_eml_files_once(app, holder):
    notify(holder, "invitations", "Your invitation", "Details")
    db.session.commit()
    assert send_pending() == (1, 0)
    assert send_pending() == (0, 0)
    files = list(Path(app.config["MAIL_FILE_DIR"]).glob("*.eml"))
    assert len(files) == 1
    email = message_from_bytes(files[0].read_bytes())
    assert email["To"] == holder.email and email["Subject"] == "Your invitation"
    assert outbox(holder.email)[0].sent_at is not None


def test_failed_delivery_is_retried_later(app, holder, monkeypatch):
    from app.core import mail

    class Broken:
        def send(self, message, name):
            raise ConnectionError("SMTP down")

    monkeypatch.setattr(mail, "get_backend", lambda: Broken())
    notify(holder, "invitations", "Retry me")
    db.session.commit()
    assert send_pending() == (0, 1)
    message = outbox(holder.email)[0]
    assert message.attempts == 1 and "SMTP down" in message.last_error and message.next_attempt_at > utcnow()
    assert send_pending() == (0, 0)  # waits for its next attempt
    monkeypatch.undo()
    message.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert send_pending() == (1, 0)


def test_development_sends_the_outbox_after_the_request(app, client, holder):
    app.config["OUTBOX_SEND_AFTER_REQUEST"] = True
    client.submit("/forgot-password", {"email": holder.email})
    assert outbox(holder.email)[0].sent_at is not None
    assert list(Path(app.config["MAIL_FILE_DIR"]).glob("*.eml"))


def test_outbox_command(app, holder):
    notify(holder, "invitations", "Queued")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert "Sent 1 email(s)" in result.output

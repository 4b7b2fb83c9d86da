"""Operational commands: `flask demo seed`, `flask outbox send`, `flask admin create`,
`flask scheduled run`, `flask search reindex`."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demo data (never in production).")
outbox_cli = AppGroup("outbox", help="The email outbox.")
admin_cli = AppGroup("admin", help="Platform administration.")
scheduled_cli = AppGroup("scheduled", help="Periodic work: run every 15 minutes from a scheduler.")
search_cli = AppGroup("search", help="The directory's search index.")


@search_cli.command("reindex")
def search_reindex() -> None:
    """Rebuild the search index from the database (safe while the portal is running)."""
    from app.search import index, queue

    count = queue.reindex()
    click.echo(f"Search index rebuilt at {index.index_dir()}: {count} entries.")


@search_cli.command("status")
def search_status() -> None:
    """Whether the index can be read, how many entries it has and how many changes wait."""
    from app.search import index, queue

    health = index.health()
    click.echo(f"Index at {index.index_dir()}: {'OK' if health.ok else 'PROBLEM'}, {health.documents} entries, "
               f"{queue.backlog()} change(s) waiting. {health.message}".strip())


@scheduled_cli.command("run")
def scheduled_run() -> None:
    """Reminders, lapsed requests and expiry notices. Safe to run as often as you like."""
    from app.brokers.expiry import check_expiries
    from app.engagements.tasks import remind_and_lapse_requests
    from app.needs.tasks import close_expired, flag_gaps
    from app.providers.services import remind_stale_capacity

    reminded, lapsed = remind_and_lapse_requests()
    expiry_reminders, expired = check_expiries()
    from app.search.queue import process_queue

    closed, gaps, capacity = close_expired(), flag_gaps(), remind_stale_capacity()
    from app.accounts.session import forget_old
    from app.extensions import db

    forgotten = forget_old()
    db.session.commit()
    # Changes that waited because another process held the index lock.
    indexed = process_queue()
    click.echo(f"Requests: {reminded} reminder(s), {lapsed} lapsed. "
               f"Verifications: {expiry_reminders} reminder(s), {expired} expired. "
               f"Needs: {closed} closed, {gaps} new gap(s). Capacity reminders: {capacity}. "
               f"Search: {indexed} entr{'y' if indexed == 1 else 'ies'} updated. "
               f"Old sign-in sessions forgotten: {forgotten}.")


@demo_cli.command("seed")
def demo_seed() -> None:
    """Load the demo hub, accounts and data. Running it again changes nothing."""
    if not current_app.config["DEMO_DATA_ALLOWED"]:
        raise click.ClickException("Demo data is never loaded in production.")
    from app.demo import seed
    from app.search import queue

    created = seed()
    count = queue.reindex()
    click.echo(f"Demo data ready ({created} new records, {count} in the directory's search index). "
               "Password for every demo account: ourchoice-demo")


@outbox_cli.command("send")
@click.option("--limit", default=500, show_default=True, help="Most emails to send in this run.")
def outbox_send(limit: int) -> None:
    """Send queued emails (run every minute from a scheduler in production)."""
    from app.core.notifications import send_pending

    sent, failed = send_pending(limit=limit)
    click.echo(f"Sent {sent} email(s); {failed} failed and will be retried.")


@admin_cli.command("create")
@click.argument("email")
@click.option("--name", prompt="Full name")
@click.password_option(prompt="Password (at least 10 characters)")
def admin_create(email: str, name: str, password: str) -> None:
    """Create the first platform admin (later admins are invited)."""
    from app.accounts.models import User
    from app.accounts.passwords import hash_password, password_problem
    from app.accounts.services import find_by_email, normalise_email
    from app.core import audit
    from app.core.timeutil import utcnow
    from app.extensions import db

    problem = password_problem(password, email=email, name=name)
    if problem:
        raise click.ClickException(problem)
    user = find_by_email(email)
    if user is None:
        user = User(email=normalise_email(email), name=name.strip(), password_hash=hash_password(password),
                    email_verified_at=utcnow())
        db.session.add(user)
    user.is_platform_admin = True
    db.session.flush()
    audit.record("admin.created_from_cli", obj=user)
    db.session.commit()
    click.echo(f"{user.email} is a platform admin.")


def register(app: Flask) -> None:
    app.cli.add_command(demo_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(admin_cli)
    app.cli.add_command(scheduled_cli)
    app.cli.add_command(search_cli)

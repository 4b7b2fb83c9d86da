"""Operational commands: `flask demo seed`, `flask outbox send`, `flask admin create`,
`flask scheduled run`, `flask search reindex`, `flask ledger verify`, `flask payments reconcile`."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.accounts import services as accounts
from app.brokers import services as brokers
from app.core.errors import DomainError
from app.core.notifications import send_pending
from app.core.unit_of_work import transaction
from app.demo import seed
from app.engagements import services as engagements
from app.ledger import services as ledger
from app.needs import services as needs
from app.payments import services as payments
from app.plans import services as plans
from app.providers import services as providers
from app.search import services as search

demo_cli = AppGroup("demo", help="Demo data (never in production).")
outbox_cli = AppGroup("outbox", help="The email outbox.")
admin_cli = AppGroup("admin", help="Platform administration.")
scheduled_cli = AppGroup("scheduled", help="Periodic work: run every 15 minutes from a scheduler.")
search_cli = AppGroup("search", help="The directory's search search.")
ledger_cli = AppGroup("ledger", help="The companies' books.")
payments_cli = AppGroup("payments", help="Card payments through Stripe.")
reports_cli = AppGroup("reports", help="The hub performance reports.")


@payments_cli.command("reconcile")
def payments_reconcile() -> None:
    """Ask Stripe about card payments of the last 3 days (Direct Debits of the last 14) still
    waiting here, and settle them as their webhook would have (events that never arrived); apply
    refunds that waited for their payment. Safe to run every few minutes, and beside the webhook.
    Exits 1 when a payment could not be checked."""
    if not payments.switched_on():
        click.echo("Card payments are not switched on (no STRIPE_SECRET_KEY): nothing to reconcile.")
        return
    checked = changed = failed = 0
    for checkout_id in payments.to_reconcile():
        checked += 1
        try:
            with transaction():  # each payment on its own: one Stripe cannot answer about does not stop the rest
                changed += payments.reconcile_one(checkout_id)
        except payments.StripeUnavailable as error:
            failed += 1
            click.echo(f"Payment {checkout_id}: {error}", err=True)
        except Exception:  # noqa: BLE001 - reported, counted, and tried again next run
            failed += 1
            current_app.logger.exception("Reconciling card payment %s failed", checkout_id)
            click.echo(f"Payment {checkout_id}: could not be settled (see the log); it will be tried again.", err=True)
    with transaction():
        refunds = payments.apply_waiting_refunds()
    click.echo(f"Checked {checked} payment(s) with Stripe: {changed} settled or changed, {failed} could not be "
               f"checked and will be tried again. Refunds applied that were waiting for their payment: {refunds}.")
    if failed:
        raise SystemExit(1)


@ledger_cli.command("verify")
@click.option("--company", "company_ids", type=int, multiple=True, help="Check only this company (repeatable).")
def ledger_verify(company_ids: tuple[int, ...]) -> None:
    """Recompute every balance from the entries, and check every transaction balances, every reversal
    pairs up and each company's hash chain is unbroken. Exits 1 on any difference."""
    report = ledger.verify(list(company_ids) or None)
    click.echo(report.summary())
    for problem in report.problems:
        click.echo(f"PROBLEM: {problem}", err=True)
    if not report.ok:
        raise SystemExit(1)
    click.echo("The books agree with their entries.")


@search_cli.command("reindex")
def search_reindex() -> None:
    """Rebuild the search index of the backend in use from the database (safe while the portal is
    running, and safe to stop and run again). Shows its progress as it goes."""
    click.echo(f"Search backend: {search.backend_label()}.")
    progress = search.reporter(search.listing_count())
    try:
        count = search.reindex(progress=progress)
    except KeyboardInterrupt:
        progress.finish()
        click.echo("Stopped. Search keeps answering from what was there; run `flask search reindex` again to finish.",
                   err=True)
        raise SystemExit(130) from None
    progress.finish()
    click.echo(f"Search index rebuilt in {search.location()}: {count} entries.")


@search_cli.command("status")
def search_status() -> None:
    """Which backend answers, whether its index can be read, how many entries it has and how many
    changes wait."""
    health = search.health()
    click.echo(f"Search backend: {search.backend_label()}.")
    click.echo(f"Index in {search.location()}: {'OK' if health.ok else 'PROBLEM'}, {health.documents} entries, "
               f"{search.backlog()} change(s) waiting. {health.message}".strip())


@scheduled_cli.command("run")
def scheduled_run() -> None:
    """Reminders, lapsed requests and expiry notices. Safe to run as often as you like."""

    def run(task):  # each task is a unit of work of its own: one failing does not undo the others
        with transaction():
            return task()

    reminded, lapsed = run(engagements.remind_and_lapse_requests)
    expiry_reminders, expired = run(brokers.check_expiries)
    closed, gaps, capacity = run(needs.close_expired), run(needs.flag_gaps), run(providers.remind_stale_capacity)
    forgotten = run(accounts.forget_old_sessions)
    approved = run(payments.approve_due)
    plans_started, reviews_due = run(plans.update_statuses)
    # Changes that waited because another process held the index lock.
    indexed = search.process_queue()
    click.echo(f"Requests: {reminded} reminder(s), {lapsed} lapsed. "
               f"Verifications: {expiry_reminders} reminder(s), {expired} expired. "
               f"Needs: {closed} closed, {gaps} new gap(s). Capacity reminders: {capacity}. "
               f"Search: {indexed} entr{'y' if indexed == 1 else 'ies'} updated. "
               f"Old sign-in sessions forgotten: {forgotten}. "
               f"Invoices approved under standing approvals: {approved}. "
               f"Support plans: {plans_started} now in force, {reviews_due} due for review.")


@demo_cli.command("seed")
def demo_seed() -> None:
    """Load the demo hub, accounts and data. Running it again changes nothing."""
    if not current_app.config["DEMO_DATA_ALLOWED"]:
        raise click.ClickException("Demo data is never loaded in production.")
    with transaction():
        created = seed()
    count = search.reindex()
    click.echo(f"Demo data ready ({created} new records, {count} in the directory's search index). "
               "Password for every demo account: ourchoice-demo")


@outbox_cli.command("send")
@click.option("--limit", default=500, show_default=True, help="Most emails to send in this run.")
def outbox_send(limit: int) -> None:
    """Send queued emails (run every minute from a scheduler in production)."""
    sent, failed = send_pending(limit=limit)
    click.echo(f"Sent {sent} email(s); {failed} failed and will be retried.")


@admin_cli.command("create")
@click.argument("email")
@click.option("--name", prompt="Full name")
@click.password_option(prompt="Password (at least 10 characters)")
def admin_create(email: str, name: str, password: str) -> None:
    """Create the first platform admin (later admins are invited)."""
    try:
        accounts.check_new_password(password, email=email, name=name)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    with transaction():
        user = accounts.make_platform_admin(email, name, password)
    click.echo(f"{user.email} is a platform admin.")


@reports_cli.command("rebuild")
def reports_rebuild() -> None:
    """Recount what the reports keep on each need (when the first provider was told) from the
    records themselves. Safe to run at any time, and again."""
    from app.needs import services as needs

    with transaction():
        changed = needs.recount_first_told()
    click.echo(f"Recounted: {changed} need{'s' if changed != 1 else ''} changed.")


def register(app: Flask) -> None:
    app.cli.add_command(demo_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(admin_cli)
    app.cli.add_command(scheduled_cli)
    app.cli.add_command(search_cli)
    app.cli.add_command(ledger_cli)
    app.cli.add_command(payments_cli)
    app.cli.add_command(reports_cli)

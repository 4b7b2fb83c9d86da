"""A provider organisation (its owner) or a broker connects a Stripe account to be paid by card:
the settings page, going to Stripe's sign-up pages, and coming back from them."""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, url_for
from flask_login import current_user

from app.core.flows import press, run
from app.core.forms import EmptyForm
from app.core.hooks import allow_form_action
from app.core.permissions import IsBroker, IsProviderStaff, require
from app.core.urls import absolute
from app.payments import services
from app.payments.views import bp


def _page(payee, here: str, connect_url: str, dashboard_url: str):
    page = make_response(render_template("payments/payouts.html", payee=payee, account=payee.account,
                                         switched_on=services.switched_on(), form=EmptyForm(), here=here,
                                         connect_url=connect_url, dashboard_url=dashboard_url))
    return allow_form_action(page, *services.hosted_origins())


def _connect(payee, endpoint: str, **values):
    done = press(EmptyForm(), lambda: services.connect(
        current_user, payee, return_url=absolute(url_for(f"{endpoint}_return", **values)),
        refresh_url=absolute(url_for(f"{endpoint}_refresh", **values))))
    if done:
        return redirect(done.value, code=303)
    return redirect(url_for(endpoint, **values))


def _dashboard(payee, endpoint: str, **values):
    done = press(EmptyForm(), lambda: services.dashboard(current_user, payee))
    if done:
        return redirect(done.value, code=303)
    return redirect(url_for(endpoint, **values))


def _came_back(payee, endpoint: str, **values):
    done = run(lambda: services.check_with_stripe(current_user, payee))
    account = done.value if done else None
    if account is not None and account.can_receive:
        flash("Your Stripe account is ready: people can now pay your approved invoices by card.", "success")
    elif account is not None:
        flash("Stripe needs more from you before you can take card payments. Continue with Stripe when you are ready.",
              "info")
    return redirect(url_for(endpoint, **values))


def _link_ran_out(endpoint: str, **values):
    flash("The link to Stripe's pages ran out. Continue with Stripe to carry on where you left off.", "info")
    return redirect(url_for(endpoint, **values))


@bp.get("/providers/<int:organisation_id>/payouts")
@require(IsProviderStaff)
def provider_payouts(organisation_id: int):
    payee = services.organisation_payee(current_user, organisation_id)
    return _page(payee, url_for("providers.overview", organisation_id=organisation_id),
                 url_for("payments.provider_payouts_connect", organisation_id=organisation_id),
                 url_for("payments.provider_payouts_dashboard", organisation_id=organisation_id))


@bp.post("/providers/<int:organisation_id>/payouts/connect")
@require(IsProviderStaff)
def provider_payouts_connect(organisation_id: int):
    return _connect(services.organisation_payee(current_user, organisation_id), "payments.provider_payouts",
                    organisation_id=organisation_id)


@bp.post("/providers/<int:organisation_id>/payouts/dashboard")
@require(IsProviderStaff)
def provider_payouts_dashboard(organisation_id: int):
    return _dashboard(services.organisation_payee(current_user, organisation_id), "payments.provider_payouts",
                      organisation_id=organisation_id)


@bp.get("/providers/<int:organisation_id>/payouts/return")
@require(IsProviderStaff)
def provider_payouts_return(organisation_id: int):
    return _came_back(services.organisation_payee(current_user, organisation_id), "payments.provider_payouts",
                      organisation_id=organisation_id)


@bp.get("/providers/<int:organisation_id>/payouts/refresh")
@require(IsProviderStaff)
def provider_payouts_refresh(organisation_id: int):
    """Stripe's sign-up link ran out: offer the button again (a new link needs a button press)."""
    services.organisation_payee(current_user, organisation_id)
    return _link_ran_out("payments.provider_payouts", organisation_id=organisation_id)


@bp.get("/broker/payouts")
@require(IsBroker)
def broker_payouts():
    return _page(services.broker_payee(current_user), url_for("payments.broker_invoices"),
                 url_for("payments.broker_payouts_connect"), url_for("payments.broker_payouts_dashboard"))


@bp.post("/broker/payouts/dashboard")
@require(IsBroker)
def broker_payouts_dashboard():
    return _dashboard(services.broker_payee(current_user), "payments.broker_payouts")


@bp.post("/broker/payouts/connect")
@require(IsBroker)
def broker_payouts_connect():
    return _connect(services.broker_payee(current_user), "payments.broker_payouts")


@bp.get("/broker/payouts/return")
@require(IsBroker)
def broker_payouts_return():
    return _came_back(services.broker_payee(current_user), "payments.broker_payouts")


@bp.get("/broker/payouts/refresh")
@require(IsBroker)
def broker_payouts_refresh():
    services.broker_payee(current_user)
    return _link_ran_out("payments.broker_payouts")

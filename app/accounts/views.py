"""Account pages. Thin: read the form, call a service, show the result."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user

from app.accounts import forms, services
from app.accounts.session import sign_in_browser
from app.accounts.signals import what_closing_will_do
from app.core import notifications, unit_of_work
from app.core.flows import form_page, press, run, submit
from app.core.forms import EmptyForm
from app.core.permissions import IsSignedIn, require
from app.core.urls import is_safe_next
from app.extensions import limiter

bp = Blueprint("accounts", __name__)

T = TypeVar("T")


def email_limit() -> str:
    """Requests that send an email are limited per client address."""
    return current_app.config["EMAIL_REQUESTS_PER_ADDRESS"]


def _home():
    return redirect(url_for("home.index"))


def _link_problem(message: str, retry_endpoint: str, retry_text: str):
    return render_template("accounts/link_problem.html", message=message, retry_endpoint=retry_endpoint,
                           retry_text=retry_text), 400


def _follow_link(use: Callable[[], T], retry_endpoint: str, retry_text: str) -> tuple[T | None, object]:
    """Use an emailed link: (the service's answer, None), or (None, the page saying what is
    wrong with the link and how to get a new one)."""
    try:
        return use(), None
    except services.TokenInvalid as problem:
        unit_of_work.refused()
        return None, _link_problem(problem.message, retry_endpoint, retry_text)


# --- Sign in and out ---------------------------------------------------------------------


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return _home()
    form = forms.SignInForm()
    email, address = form.email.data, request.remote_addr
    allowed = submit(form, lambda: services.refuse_if_too_many_attempts(email, address))  # else 429
    done = allowed and run(lambda: services.sign_in(email, form.password.data, address), form=form)
    if done:
        sign_in_browser(done.value)
        flash(f"You are signed in as {done.value.name}.", "success")
        next_url = request.args.get("next")
        return redirect(next_url if is_safe_next(next_url) else url_for("home.index"))
    form.password.data = ""
    # A refused sign-in answers 200 (like any other page), too many attempts 429, a form not filled in 400.
    status = 200 if allowed or not form.errors else 429 if form.form_errors else 400
    return form_page("accounts/sign_in.html", form, status)


@bp.post("/sign-out")
def sign_out():
    user = current_user._get_current_object()
    if current_user.is_authenticated and press(EmptyForm(), lambda: services.record_sign_out(user)):
        logout_user()
        session.clear()
        flash("You have signed out.", "success")
    return _home()


# --- Registration ----------------------------------------------------------------------------


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return _home()
    form = forms.RegisterChoiceForm()
    if form.validate_on_submit():
        return redirect(url_for("accounts.register_details", kind=form.kind.data))
    return form_page("accounts/register_choice.html", form)


@bp.route("/register/<kind>", methods=["GET", "POST"])
@limiter.limit(email_limit, methods=["POST"])
def register_details(kind: str):
    account_kind = services.account_kind(kind) or abort(404)
    if current_user.is_authenticated:
        return _home()
    form = forms.registration_form(account_kind)
    if submit(form, lambda: services.register(form.registration(kind))):
        session["registered_email"] = services.normalise_email(form.email.data)
        return redirect(url_for("accounts.check_email"))
    return form_page("accounts/register.html", form, kind=kind, kind_label=account_kind.label)


@bp.get("/register/check-your-email")
def check_email():
    return render_template("accounts/check_email.html", email=session.get("registered_email"),
                           form=forms.EmailOnlyForm(email=session.get("registered_email")))


@bp.route("/verify-email", methods=["GET", "POST"])
@limiter.limit(email_limit, methods=["POST"])
def resend_verification():
    form = forms.EmailOnlyForm()
    if submit(form, lambda: services.resend_verification(form.email.data)):
        session["registered_email"] = services.normalise_email(form.email.data)
        flash("If that address has an account waiting to be confirmed, we have sent a new link.", "success")
        return redirect(url_for("accounts.check_email"))
    return form_page("accounts/resend_verification.html", form)


@bp.get("/verify-email/<token>")
def verify_email(token: str):
    _, problem = _follow_link(lambda: services.verify_email(token), "accounts.resend_verification",
                              "Get a new confirmation link")
    if problem:
        return problem
    flash("Your email address is confirmed. You can now sign in.", "success")
    return redirect(url_for("accounts.sign_in"))


# --- Forgotten password ----------------------------------------------------------------------


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(email_limit, methods=["POST"])
def forgot_password():
    form = forms.EmailOnlyForm()
    if submit(form, lambda: services.request_password_reset(form.email.data)):
        return render_template("accounts/reset_sent.html", email=services.normalise_email(form.email.data))
    return form_page("accounts/forgot_password.html", form)


NEW_RESET_LINK = "accounts.forgot_password", "Get a new password reset link"


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    _, problem = _follow_link(lambda: services.check_reset_token(token), *NEW_RESET_LINK)
    if problem:
        return problem
    form = forms.ResetPasswordForm()
    if submit(form, lambda: services.reset_password(token, form.password.data)):
        if current_user.is_authenticated:
            logout_user()
        session.clear()
        flash("Your password has been changed. Sign in with your new password.", "success")
        return redirect(url_for("accounts.sign_in"))
    if form.form_errors:  # only the link says no without naming a field: it stopped working meanwhile
        return _link_problem(form.form_errors[0], *NEW_RESET_LINK)
    return form_page("accounts/reset_password.html", form)


# --- Settings ----------------------------------------------------------------------------------


@bp.get("/account")
@require(IsSignedIn)
def settings():
    return render_template(
        "accounts/settings.html",
        email_prefs=notifications.email_preferences(current_user),
        kinds=notifications.kinds_for(current_user),
    )


@bp.route("/account/details", methods=["GET", "POST"])
@require(IsSignedIn)
def details():
    form = forms.DetailsForm(obj=current_user)
    if submit(form, lambda: services.update_details(current_user, form.name.data)):
        flash("Your name has been updated.", "success")
        return redirect(url_for("accounts.settings"))
    return form_page("accounts/details.html", form)


@bp.route("/account/email", methods=["GET", "POST"])
@require(IsSignedIn)
def change_email():
    form = forms.ChangeEmailForm()
    if submit(form, lambda: services.request_email_change(current_user, form.email.data, form.password.data)):
        flash(f"We have sent a link to {services.normalise_email(form.email.data)}. "
              "Your email address will change when you use it.", "success")
        return redirect(url_for("accounts.settings"))
    return form_page("accounts/change_email.html", form)


@bp.get("/account/email/confirm/<token>")
def confirm_email_change(token: str):
    user, problem = _follow_link(lambda: services.confirm_email_change(token), "accounts.change_email",
                                 "Ask for a new link")
    if problem:
        return problem
    flash(f"Your email address is now {user.email}.", "success")
    return redirect(url_for("accounts.settings") if current_user.is_authenticated else url_for("accounts.sign_in"))


@bp.route("/account/password", methods=["GET", "POST"])
@require(IsSignedIn)
def change_password():
    form = forms.ChangePasswordForm()
    user = current_user._get_current_object()
    ends = user.sign_in_session.expires_at if user.sign_in_session else None
    if submit(form, lambda: services.change_password(user, form.current_password.data, form.new_password.data)):
        # This browser carries on (with a new cookie, ending when its sign-in would have); all
        # other sessions are signed out.
        sign_in_browser(user, expires_at=ends)
        flash("Your password has been changed. You have been signed out on other devices.", "success")
        return redirect(url_for("accounts.settings"))
    return form_page("accounts/change_password.html", form)


@bp.route("/account/accessibility", methods=["GET", "POST"])
@require(IsSignedIn)
def accessibility():
    form = forms.AccessibilityForm()
    if request.method == "GET":
        form.show(current_user)
    if submit(form, lambda: services.update_accessibility(current_user, **form.settings())):
        flash("Your display settings have been saved.", "success")
        return redirect(url_for("accounts.settings"))
    return form_page("accounts/accessibility.html", form)


@bp.route("/account/notifications", methods=["GET", "POST"])
@require(IsSignedIn)
def notification_settings():
    form = forms.NotificationSettingsForm()
    kinds = [k for k in notifications.kinds_for(current_user) if not k.always_email]
    form.email_kinds.choices = [(k.key, k.label) for k in kinds]
    if request.method == "GET":
        prefs = notifications.email_preferences(current_user)
        form.email_kinds.data = [k.key for k in kinds if prefs.get(k.key)]
    if submit(form, lambda: notifications.set_email_preferences(current_user, set(form.email_kinds.data or []))):
        flash("Your email settings have been saved.", "success")
        return redirect(url_for("accounts.settings"))
    return form_page("accounts/notification_settings.html", form)


@bp.route("/account/close", methods=["GET", "POST"])
@require(IsSignedIn)
def close_account():
    form = forms.CloseAccountForm()
    user = current_user._get_current_object()
    if submit(form, lambda: services.close_account(user, form.password.data)):
        logout_user()
        session.clear()
        flash("Your account is closed. We have sent a confirmation to your email address.", "success")
        return _home()
    return form_page("accounts/close.html", form, consequences=what_closing_will_do(user))

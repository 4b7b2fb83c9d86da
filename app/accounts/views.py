"""Account pages. Thin: read the form, call a service, show the result."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user

from app.accounts import forms, services
from app.accounts.services import AccountKind, Registration
from app.accounts.session import sign_in_browser
from app.accounts.signals import what_closing_will_do
from app.core import notifications
from app.core.errors import DomainError
from app.core.forms import EmptyForm, apply_errors
from app.core.permissions import IsSignedIn, require
from app.core.urls import is_safe_next
from app.extensions import limiter

bp = Blueprint("accounts", __name__)



def email_limit() -> str:
    """Requests that send an email are limited per client address."""
    return current_app.config["EMAIL_REQUESTS_PER_ADDRESS"]


def _start_session(user) -> None:
    sign_in_browser(user)


# --- Sign in and out ---------------------------------------------------------------------


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = forms.SignInForm()
    status = 200
    next_url = request.args.get("next")
    if form.validate_on_submit():
        try:
            user = services.sign_in(form.email.data, form.password.data, request.remote_addr)
        except services.SignInLimited as error:
            form.form_errors.append(error.message)
            status = 429
        except services.EmailNotVerified as error:
            form.form_errors.append(error.message)
        except services.SignInError as error:
            form.form_errors.append(error.message)
        else:
            _start_session(user)
            flash(f"You are signed in as {user.name}.", "success")
            return redirect(next_url if is_safe_next(next_url) else url_for("core.home"))
        form.password.data = ""
    elif form.errors:
        status = 400
    return render_template("accounts/sign_in.html", form=form), status


@bp.post("/sign-out")
def sign_out():
    form = EmptyForm()
    if form.validate_on_submit() and current_user.is_authenticated:
        services.record_sign_out(current_user._get_current_object())
        logout_user()
        session.clear()
        flash("You have signed out.", "success")
    return redirect(url_for("core.home"))


# --- Registration ----------------------------------------------------------------------------


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = forms.RegisterChoiceForm()
    if form.validate_on_submit():
        return redirect(url_for("accounts.register_details", kind=form.kind.data))
    return render_template("accounts/register_choice.html", form=form), 400 if form.errors else 200


REGISTER_FORMS = {
    AccountKind.BUDGET_HOLDER: forms.RegisterForm,
    AccountKind.PROVIDER: forms.ProviderRegisterForm,
    AccountKind.BROKER: forms.RegisterForm,
}


@bp.route("/register/<kind>", methods=["GET", "POST"])
@limiter.limit(email_limit, methods=["POST"])
def register_details(kind: str):
    if kind not in REGISTER_FORMS:
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = REGISTER_FORMS[kind]()
    if form.validate_on_submit():
        registration = Registration(
            kind=kind, name=form.name.data, email=form.email.data, password=form.password.data,
            organisation_name=getattr(form, "organisation_name", None) and form.organisation_name.data or "",
            organisation_kind=getattr(form, "organisation_kind", None) and form.organisation_kind.data or "",
        )
        try:
            services.register(registration)
        except DomainError as error:
            apply_errors(form, error)
        else:
            session["registered_email"] = services.normalise_email(form.email.data)
            return redirect(url_for("accounts.check_email"))
    return render_template(
        "accounts/register.html", form=form, kind=kind, kind_label=AccountKind.LABELS[kind]
    ), 400 if form.errors else 200


@bp.get("/register/check-your-email")
def check_email():
    return render_template("accounts/check_email.html", email=session.get("registered_email"),
                           form=forms.EmailOnlyForm(email=session.get("registered_email")))


@bp.route("/verify-email", methods=["GET", "POST"])
@limiter.limit(email_limit, methods=["POST"])
def resend_verification():
    form = forms.EmailOnlyForm()
    if form.validate_on_submit():
        services.resend_verification(form.email.data)
        session["registered_email"] = services.normalise_email(form.email.data)
        flash("If that address has an account waiting to be confirmed, we have sent a new link.", "success")
        return redirect(url_for("accounts.check_email"))
    return render_template("accounts/resend_verification.html", form=form), 400 if form.errors else 200


@bp.get("/verify-email/<token>")
def verify_email(token: str):
    try:
        services.verify_email(token)
    except services.TokenInvalid as error:
        return render_template("accounts/link_problem.html", message=error.message,
                               retry_endpoint="accounts.resend_verification",
                               retry_text="Get a new confirmation link"), 400
    flash("Your email address is confirmed. You can now sign in.", "success")
    return redirect(url_for("accounts.sign_in"))


# --- Forgotten password ----------------------------------------------------------------------


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(email_limit, methods=["POST"])
def forgot_password():
    form = forms.EmailOnlyForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        return render_template("accounts/reset_sent.html", email=services.normalise_email(form.email.data))
    return render_template("accounts/forgot_password.html", form=form), 400 if form.errors else 200


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        services.check_reset_token(token)
    except services.TokenInvalid as error:
        return render_template("accounts/link_problem.html", message=error.message,
                               retry_endpoint="accounts.forgot_password",
                               retry_text="Get a new password reset link"), 400
    form = forms.ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except services.TokenInvalid as error:
            return render_template("accounts/link_problem.html", message=error.message,
                                   retry_endpoint="accounts.forgot_password",
                                   retry_text="Get a new password reset link"), 400
        except DomainError as error:
            apply_errors(form, error)
        else:
            if current_user.is_authenticated:
                logout_user()
            session.clear()
            flash("Your password has been changed. Sign in with your new password.", "success")
            return redirect(url_for("accounts.sign_in"))
    return render_template("accounts/reset_password.html", form=form), 400 if form.errors else 200


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
    if form.validate_on_submit():
        try:
            services.update_details(current_user, form.name.data)
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash("Your name has been updated.", "success")
            return redirect(url_for("accounts.settings"))
    return render_template("accounts/details.html", form=form), 400 if form.errors else 200


@bp.route("/account/email", methods=["GET", "POST"])
@require(IsSignedIn)
def change_email():
    form = forms.ChangeEmailForm()
    if form.validate_on_submit():
        try:
            services.request_email_change(current_user, form.email.data, form.password.data)
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash(f"We have sent a link to {services.normalise_email(form.email.data)}. "
                  "Your email address will change when you use it.", "success")
            return redirect(url_for("accounts.settings"))
    return render_template("accounts/change_email.html", form=form), 400 if form.errors else 200


@bp.get("/account/email/confirm/<token>")
def confirm_email_change(token: str):
    try:
        user = services.confirm_email_change(token)
    except services.TokenInvalid as error:
        return render_template("accounts/link_problem.html", message=error.message,
                               retry_endpoint="accounts.change_email",
                               retry_text="Ask for a new link"), 400
    flash(f"Your email address is now {user.email}.", "success")
    return redirect(url_for("accounts.settings") if current_user.is_authenticated else url_for("accounts.sign_in"))


@bp.route("/account/password", methods=["GET", "POST"])
@require(IsSignedIn)
def change_password():
    form = forms.ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        ends = user.sign_in_session.expires_at if user.sign_in_session else None
        try:
            services.change_password(user, form.current_password.data, form.new_password.data)
        except DomainError as error:
            apply_errors(form, error)
        else:
            # This browser carries on (with a new cookie, ending when its sign-in would have); all
            # other sessions are signed out.
            sign_in_browser(user, expires_at=ends)
            flash("Your password has been changed. You have been signed out on other devices.", "success")
            return redirect(url_for("accounts.settings"))
    return render_template("accounts/change_password.html", form=form), 400 if form.errors else 200


@bp.route("/account/accessibility", methods=["GET", "POST"])
@require(IsSignedIn)
def accessibility():
    form = forms.AccessibilityForm()
    if request.method == "GET":
        form.preferences.data = [
            key for key, on in (
                ("larger_text", current_user.pref_larger_text),
                ("high_contrast", current_user.pref_high_contrast),
                ("reduced_motion", current_user.pref_reduced_motion),
            ) if on
        ]
    if form.validate_on_submit():
        chosen = set(form.preferences.data or [])
        services.update_accessibility(
            current_user, larger_text="larger_text" in chosen, high_contrast="high_contrast" in chosen,
            reduced_motion="reduced_motion" in chosen,
        )
        flash("Your display settings have been saved.", "success")
        return redirect(url_for("accounts.settings"))
    return render_template("accounts/accessibility.html", form=form), 400 if form.errors else 200


@bp.route("/account/notifications", methods=["GET", "POST"])
@require(IsSignedIn)
def notification_settings():
    form = forms.NotificationSettingsForm()
    kinds = [k for k in notifications.kinds_for(current_user) if not k.always_email]
    form.email_kinds.choices = [(k.key, k.label) for k in kinds]
    if request.method == "GET":
        prefs = notifications.email_preferences(current_user)
        form.email_kinds.data = [k.key for k in kinds if prefs.get(k.key)]
    if form.validate_on_submit():
        notifications.set_email_preferences(current_user, set(form.email_kinds.data or []))
        flash("Your email settings have been saved.", "success")
        return redirect(url_for("accounts.settings"))
    return render_template("accounts/notification_settings.html", form=form), 400 if form.errors else 200


@bp.route("/account/close", methods=["GET", "POST"])
@require(IsSignedIn)
def close_account():
    form = forms.CloseAccountForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.close_account(user, form.password.data)
        except DomainError as error:
            apply_errors(form, error)
        else:
            logout_user()
            session.clear()
            flash("Your account is closed. We have sent a confirmation to your email address.", "success")
            return redirect(url_for("core.home"))
    return render_template("accounts/close.html", form=form,
                           consequences=what_closing_will_do(current_user._get_current_object())), (
        400 if form.errors else 200)

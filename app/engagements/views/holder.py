"""The budget holder's side (or someone acting for them): asking a broker, withdrawing,
following the engagement, ending it and reviewing it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.brokers import services as brokers
from app.core.converters import parse_id
from app.core.errors import DomainError
from app.core.flows import form_page, press, submit
from app.core.forms import EmptyForm
from app.core.permissions import IsSignedIn, require
from app.core.reference import BROKERAGE_FUNCTIONS, QUALITY_QUESTIONS
from app.core.timeutil import format_datetime
from app.engagements import services
from app.engagements.forms import AskBrokerForm, EndEngagementForm, review_form_class
from app.engagements.views import bp
from app.holders import services as holders


def _ask(form, broker):
    acting = holders.access(current_user, form.holder_id.data, act=True)
    return services.ask_broker(acting, broker.id, message=form.message.data, help_wanted=form.help_wanted.data,
                               consent=form.consent.data)


def ask_broker_check(broker):
    """For the broker's profile page: whom the signed-in user could ask this broker for, and why
    not for anyone else (None when nobody is signed in)."""
    return services.ask_check(current_user, broker) if current_user.is_authenticated else None


bp.add_app_template_global(ask_broker_check, "ask_broker_check")


@bp.route("/brokers/<int:broker_id>/ask", methods=["GET", "POST"])
@require(IsSignedIn)
def ask(broker_id: int):
    broker = brokers.accredited_broker(broker_id)
    check = services.ask_check(current_user, broker)
    if not check.choices:
        return render_template("engagements/ask_not_holder.html", broker=broker, check=check), 403
    form = AskBrokerForm()
    # Any of them may be posted (the service says why not, if one was stopped since the page was shown);
    # only those who can ask now are offered.
    form.holder_id.choices = [(choice.holder.id, choice.label) for choice in check.choices]
    offered = [(choice.holder.id, choice.label) for choice in check.askable]
    if request.method == "GET" and offered:
        wanted = parse_id(request.args.get("for"))
        form.holder_id.data = wanted if wanted in dict(offered) else offered[0][0]
    done = submit(form, lambda: _ask(form, broker))
    if done:
        flash(f"Your request has been sent to {broker.user.name}. They will answer by "
              f"{format_datetime(done.value.respond_by)}.", "success")
        return redirect(url_for("home.person", holder_id=form.holder_id.data))
    form.holder_id.choices = offered
    return form_page("engagements/ask.html", form, broker=broker, check=check)


@bp.post("/people/<int:holder_id>/requests/<int:request_id>/withdraw")
@require(IsSignedIn)
def withdraw_request(holder_id: int, request_id: int):
    acting = holders.access(current_user, holder_id, act=True)
    if press(EmptyForm(), lambda: services.withdraw_request(acting, request_id)):
        flash("Your request has been withdrawn. You can ask another broker.", "success")
    return redirect(url_for("home.person", holder_id=holder_id))


@bp.get("/people/<int:holder_id>/engagements/<int:engagement_id>")
@require(IsSignedIn)
def holder_engagement(holder_id: int, engagement_id: int):
    acting = holders.access(current_user, holder_id)
    engagement = services.holder_engagement(acting, engagement_id)
    return render_template("engagements/holder_engagement.html", acting=acting, engagement=engagement,
                           BROKERAGE_FUNCTIONS=BROKERAGE_FUNCTIONS)


@bp.route("/people/<int:holder_id>/engagements/<int:engagement_id>/end", methods=["GET", "POST"])
@require(IsSignedIn)
def end_engagement(holder_id: int, engagement_id: int):
    acting = holders.access(current_user, holder_id, act=True)
    engagement = services.holder_engagement(acting, engagement_id)
    if not engagement.is_active:
        abort(404)
    form = EndEngagementForm()
    if submit(form, lambda: services.end_by_holder(acting, engagement.id, form.reason.data or "")):
        flash(f"Your work with {engagement.broker.display_name} has ended. You can now choose another broker.",
              "success")
        return redirect(url_for("engagements.review", holder_id=holder_id, engagement_id=engagement.id))
    return form_page("engagements/end_engagement.html", form, acting=acting, engagement=engagement)


def _review(acting, engagement, form):
    """Send the review; the service names a question by its key, the form by `q_<key>`."""
    answers = {key: getattr(form, f"q_{key}").data for key in QUALITY_QUESTIONS}
    try:
        return services.submit_review(acting, engagement.id, answers=answers, rating=int(form.rating.data),
                                      comment=form.comment.data or "")
    except DomainError as error:
        if error.field and error.field in QUALITY_QUESTIONS:
            error.field = f"q_{error.field}"
        raise


@bp.route("/people/<int:holder_id>/engagements/<int:engagement_id>/review", methods=["GET", "POST"])
@require(IsSignedIn)
def review(holder_id: int, engagement_id: int):
    acting = holders.access(current_user, holder_id, act=True)
    engagement = services.holder_engagement(acting, engagement_id)
    if engagement.is_active or engagement.review is not None:
        return redirect(url_for("engagements.holder_engagement", holder_id=holder_id, engagement_id=engagement.id))
    form = review_form_class()()
    if submit(form, lambda: _review(acting, engagement, form)):
        flash("Thank you. Your review will appear on the broker's profile once your hub has checked it.",
              "success")
        return redirect(url_for("home.person", holder_id=holder_id))
    questions = [getattr(form, f"q_{key}") for key in QUALITY_QUESTIONS]
    return form_page("engagements/review.html", form, questions=questions, acting=acting, engagement=engagement)

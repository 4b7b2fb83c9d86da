"""The broker's side: posting a need for a client, publishing, comparing offers, shortlisting,
asking questions, proposing, withdrawing, re-opening and raising gaps."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.flows import form_page, press, row_form, row_forms, run, submit
from app.core.forms import EmptyForm
from app.core.grid import parse_slots, slot_value
from app.core.permissions import IsBroker, require
from app.core.text import count_of
from app.engagements import services as engagements
from app.needs import policies, services
from app.needs.choosing_forms import ProposeForm, RecordSharingForm
from app.needs.forms import GapForm, MessageForm, NeedForm, PublishForm, ReasonForm, ReopenForm
from app.needs.models import Need
from app.needs.views import bp
from app.providers.services import all_providers
from app.taxonomy.services import choices as category_choices


def _need_form(need: Need | None = None, holder=None) -> NeedForm:
    if request.method == "POST":
        form = NeedForm()
    elif need is not None:
        form = NeedForm(obj=need)
        form.schedule.data = [slot_value(day, part) for day, part in need.schedule]
        form.hours.data, form.minutes.data = divmod(need.minutes_per_week, 60)
        form.max_rate.data = need.max_hourly_rate_pence
        form.urgency.data = need.urgency.value
        form.worker_gender.data = need.worker_gender or ""
        if need.private:
            for name in ("health_conditions", "medication_notes", "address", "access_arrangements"):
                getattr(form, name).data = getattr(need.private, name)
            form.medication.data = need.private.medication.value
    else:
        form = NeedForm(district=holder.district if holder else "")
    form.category_id.choices = [("", "Choose the kind of service")] + category_choices()
    return form


def _details(form: NeedForm) -> services.NeedDetails:
    return services.NeedDetails(
        category_id=form.category_id.data, district=form.district.data, schedule=sorted(parse_slots(form.schedule.data)),
        times_note=form.times_note.data or "", minutes_per_week=form.minutes_per_week(),
        start_date=form.start_date.data, end_date=form.end_date.data,
        required_skills=form.required_skills.data or [], required_languages=form.required_languages.data or [],
        worker_gender=form.worker_gender.data or None, double_up=bool(form.double_up.data), driver=bool(form.driver.data),
        urgency=form.urgency.data, max_hourly_rate_pence=form.max_rate.data,
        public_description=form.public_description.data, health_conditions=form.health_conditions.data or "",
        medication=form.medication.data, medication_notes=form.medication_notes.data or "",
        address=form.address.data or "", access_arrangements=form.access_arrangements.data or "",
    )


def _to_need(need_id: int, anchor: str = ""):
    return redirect(url_for("needs.broker_need", need_id=need_id) + anchor)


@bp.get("/broker/needs")
@require(IsBroker)
def broker_needs():
    return render_template("needs/broker_list.html", needs=services.broker_needs(current_user))


@bp.route("/broker/clients/<int:engagement_id>/needs/new", methods=["GET", "POST"])
@require(IsBroker)
def new_need(engagement_id: int):
    engagement = engagements.broker_engagement(current_user, engagement_id, audit_view=False)
    if not policies.may_post_need(current_user, engagement):
        flash("Needs can only be posted for a client you are working with.", "error")
        return redirect(url_for("engagements.broker_client", engagement_id=engagement_id))
    form = _need_form(holder=engagement.holder)
    done = submit(form, lambda: services.create_draft(current_user, engagement.id, _details(form)),
                  also_check=lambda: services.check_details(_details(form), engagement.holder.name))
    if done:
        flash("Need saved as a draft. Check it, then publish it to providers.", "success")
        return _to_need(done.value.id)
    return form_page("needs/need_form.html", form, engagement=engagement, need=None)


@bp.route("/broker/needs/<int:need_id>/edit", methods=["GET", "POST"])
@require(IsBroker)
def edit_need(need_id: int):
    opened = run(lambda: services.draft_for_editing(current_user, need_id))
    if not opened:
        return _to_need(need_id)
    need = opened.value
    form = _need_form(need)
    if submit(form, lambda: services.update_draft(current_user, need.id, _details(form)),
              also_check=lambda: services.check_details(_details(form), need.holder.name)):
        flash("Need saved.", "success")
        return _to_need(need.id)
    return form_page("needs/need_form.html", form, engagement=None, need=need)


def _providers_choices(need: Need) -> list[tuple[int, str]]:
    """Any provider can be invited by name, verified or not (a personal assistant the person
    already knows, say); the label says which are verified."""
    skip = need.invited_ids | policies.handed_back_ids(need)
    return [(o.id, f"{o.name} ({', '.join(o.district_codes)}){'' if o.is_verified else ', not verified'}")
            for o in all_providers() if o.id not in skip]


def _need_page(need: Need, *, status: int = 200, **forms):
    services.record_view(current_user, need)  # every page showing the private details is audited
    ranked = services.rank(need.offers_made)
    publish_form = forms.get("publish_form") or PublishForm(formdata=None)
    reopen_form = forms.get("reopen_form") or ReopenForm(formdata=None)
    for form in (publish_form, reopen_form):
        form.invited_ids.choices = _providers_choices(need)
    return render_template(
        "needs/broker_need.html", need=need, ranked=ranked, publish_form=publish_form, reopen_form=reopen_form,
        withdraw_form=forms.get("withdraw_form") or ReasonForm(formdata=None, prefix="withdraw"),
        gap_form=forms.get("gap_form") or GapForm(formdata=None, prefix="gap"),
        message_forms=row_forms(MessageForm, "m", [offer for offer, _ in ranked], forms.get("failed_message"),
                                forms.get("failed_id")),
        propose_forms=row_forms(ProposeForm, "p", [offer for offer, _ in ranked], forms.get("failed_propose"),
                                forms.get("failed_id")),
        sharing_form=forms.get("sharing_form") or RecordSharingForm(formdata=None, prefix="sharing"),
        shared=services.what_is_shared(need), reach=services.reach(need),
        form=forms.get("failed"), button_form=EmptyForm(), requirement_labels=services.requirement_keys(need),
        met_requirements=services.met_requirements, terms_of=services.terms_of,
    ), status


@bp.get("/broker/needs/<int:need_id>")
@require(IsBroker)
def broker_need(need_id: int):
    return _need_page(services.need_for_broker(current_user, need_id))


def _told(count: int) -> str:
    if count == 0:
        return "No providers could be told yet: see why, and what you can do, on this page."
    return f"{count_of(count, 'provider')} told."


def _act(need, form, form_name: str, call, success):
    """One of the need page's forms: on success say what happened and go back to the need;
    otherwise show the page again with this form's errors."""
    done = submit(form, call)
    if done:
        flash(success(done.value), "success")
        return _to_need(need.id)
    return _need_page(need, status=400, failed=form, **{form_name: form})


@bp.post("/broker/needs/<int:need_id>/publish")
@require(IsBroker)
def publish_need(need_id: int):
    need = services.need_for_broker(current_user, need_id)
    form = PublishForm()
    form.invited_ids.choices = _providers_choices(need)
    return _act(need, form, "publish_form", lambda: services.publish(
        current_user, need.id, response_hours=int(form.response_hours.data), visibility=form.visibility.data,
        invited_ids=form.invited_ids.data or []), lambda told: f"Published. {_told(told)}")


@bp.post("/broker/needs/<int:need_id>/withdraw")
@require(IsBroker)
def withdraw_need(need_id: int):
    need = services.need_for_broker(current_user, need_id)
    form = ReasonForm(prefix="withdraw")
    return _act(need, form, "withdraw_form", lambda: services.withdraw(current_user, need.id, form.reason.data),
                lambda _: "The need has been withdrawn and every provider who saw it has been told.")


@bp.post("/broker/needs/<int:need_id>/reopen")
@require(IsBroker)
def reopen_need(need_id: int):
    need = services.need_for_broker(current_user, need_id)
    form = ReopenForm()
    form.invited_ids.choices = _providers_choices(need)
    return _act(need, form, "reopen_form", lambda: services.reopen(
        current_user, need.id, response_hours=int(form.response_hours.data), max_hourly_rate_pence=form.max_rate.data,
        travel_supplement_pence=form.travel_supplement.data, invited_ids=form.invited_ids.data or []),
        lambda told: f"Re-opened with a new deadline. {_told(told)}")


@bp.post("/broker/needs/<int:need_id>/gap")
@require(IsBroker)
def raise_gap(need_id: int):
    need = services.need_for_broker(current_user, need_id)
    form = GapForm(prefix="gap")
    return _act(need, form, "gap_form", lambda: services.raise_gap(current_user, need.id, form.note.data),
                lambda _: "Recorded as a gap. Your hub lead has been told.")


@bp.post("/broker/needs/<int:need_id>/offers/<int:offer_id>/shortlist")
@require(IsBroker)
def shortlist(need_id: int, offer_id: int):
    return _offer_action(need_id, offer_id, services.shortlist, "Shortlisted. They can now see the private details.")


@bp.post("/broker/needs/<int:need_id>/offers/<int:offer_id>/propose")
@require(IsBroker)
def propose(need_id: int, offer_id: int):
    need = services.need_for_broker(current_user, need_id)
    form = row_form(ProposeForm, "p", offer_id)
    if submit(form, lambda: services.propose(current_user, need.id, offer_id, form.reason.data)):
        flash(f"Recommended to {need.holder.name}, who has been told. They can choose any offer on the shortlist.",
              "success")
        return _to_need(need.id, f"#offer-{offer_id}")
    return _need_page(need, status=400, failed=form, failed_propose=form, failed_id=offer_id)


@bp.post("/broker/needs/<int:need_id>/sharing/ask")
@require(IsBroker)
def ask_for_sharing(need_id: int):
    services.need_for_broker(current_user, need_id)
    done = press(EmptyForm(), lambda: services.ask_for_sharing(current_user, need_id))
    if done:
        flash(f"Asked {count_of(done.value, 'person', 'people')} to check what will be shared and agree.", "success")
    return _to_need(need_id, "#sharing")


@bp.post("/broker/needs/<int:need_id>/sharing")
@require(IsBroker)
def record_sharing(need_id: int):
    need = services.need_for_broker(current_user, need_id)
    form = RecordSharingForm(prefix="sharing")
    return _act(need, form, "sharing_form", lambda: services.record_sharing(
        current_user, need.id, form.method.data, form.note.data),
        lambda _: "Recorded. The person has been told, and can see and withdraw their agreement.")


def _offer_action(need_id: int, offer_id: int, action, message: str):
    services.need_for_broker(current_user, need_id)
    if press(EmptyForm(), lambda: action(current_user, need_id, offer_id)):
        flash(message, "success")
    return _to_need(need_id, f"#offer-{offer_id}")


@bp.post("/broker/needs/<int:need_id>/offers/<int:offer_id>/messages")
@require(IsBroker)
def broker_message(need_id: int, offer_id: int):
    need = services.need_for_broker(current_user, need_id)
    form = row_form(MessageForm, "m", offer_id)
    if submit(form, lambda: services.broker_message(current_user, need.id, offer_id, form.body.data)):
        flash("Message sent.", "success")
        return _to_need(need.id, f"#offer-{offer_id}")
    return _need_page(need, status=400, failed=form, failed_message=form, failed_id=offer_id)

"""Directory moderation pages: hub leads (and platform admins for districts no hub covers) review
suggestions and corrections and keep the entries."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.errors import DomainError
from app.core.flows import form_page, run, submit
from app.core.forms import EmptyForm
from app.core.permissions import IsAdmin, IsHubLead, require
from app.directory import services
from app.directory.forms import DecisionForm, EntryForm, MergeForm, ResolveForm
from app.directory.views import _details, _fill, bp
from app.taxonomy.services import choices as category_choices

# Hub leads keep their districts' entries; platform admins those no hub covers.
MODERATOR = IsHubLead | IsAdmin


# --- Moderation (hub leads) ---------------------------------------------------------------------------------


@bp.get("/hub/directory")
@require(MODERATOR)
def hub_index():
    return render_template("directory/hub_index.html", suggestions=services.suggestions_for(current_user),
                           stale=services.entries_for(current_user, stale_only=True), target_name=services.target_name)


@bp.get("/hub/directory/entries")
@require(MODERATOR)
def hub_entries():
    return render_template("directory/hub_entries.html", entries=services.entries_for(current_user),
                           is_stale=services.is_stale)


def _entry_form(data: services.EntryDetails | None = None) -> EntryForm:
    form = EntryForm() if request.method == "POST" else EntryForm(formdata=None)
    if request.method == "GET" and data is not None:
        _fill(form, data)
    form.category_ids.choices = category_choices()
    return form


def _entry_choices(*, leave_out: int | None = None) -> list[tuple]:
    return [("", "Choose an entry")] + [(e.id, f"{e.name} ({', '.join(e.district_codes)})")
                                        for e in services.entries_for(current_user) if e.id != leave_out]


class _DecisionFields:
    """The forms of a moderation page, as one form for `run`: a service's error goes beside the
    field it names (a service's `note` is the decision's note), anything else onto the decision."""

    def __init__(self, decision, *others):
        self.form_errors = decision.form_errors
        self._forms = (decision, *others)

    def __getattr__(self, name: str):
        name = "decision_note" if name == "note" else name
        return next((form[name] for form in self._forms if name in form), None)


def _decide_new(suggestion, form: EntryForm, decision: DecisionForm) -> None:
    """Do what the hub lead decided about a suggested service, and tell them it is done."""
    note = decision.decision_note.data or ""
    if decision.decision.data == "approve":
        if not form.validate():
            raise DomainError("Check the details above")
        entry = services.approve_new(current_user, suggestion.id, _details(form), note,
                                     no_contact_confirmed=bool(form.confirm_no_contact.data))
        flash(f"{entry.name} is now in the directory.", "success")
    elif decision.decision.data == "merge":
        if not decision.merge_into.data:
            raise DomainError("Choose the existing entry", field="merge_into")
        services.merge_new(current_user, suggestion.id, decision.merge_into.data, note)
        flash("Merged with the existing entry.", "success")
    else:
        services.reject(current_user, suggestion.id, note)
        flash("The suggestion was not accepted. The person has been told.", "success")


@bp.route("/hub/directory/suggestions/<int:suggestion_id>", methods=["GET", "POST"])
@require(MODERATOR)
def review_suggestion(suggestion_id: int):
    suggestion = services.suggestion_for_moderator(current_user, suggestion_id)
    if not suggestion.is_new_service:
        return _review_correction(suggestion)
    form = _entry_form(services.EntryDetails.from_proposed(suggestion.proposed))
    decision = DecisionForm(prefix="d") if request.method == "POST" else DecisionForm(prefix="d", formdata=None)
    decision.merge_into.choices = _entry_choices()
    if suggestion.is_pending and decision.validate_on_submit() and run(
            lambda: _decide_new(suggestion, form, decision), form=_DecisionFields(decision, form)):
        return redirect(url_for("directory.hub_index"))
    failed = bool(form.errors or decision.errors)
    return form_page("directory/review_new.html", form, status=400 if failed else 200, suggestion=suggestion,
                     decision=decision, errors_form=decision if decision.errors else form)


def _decide_correction(suggestion, decision: ResolveForm, form: EntryForm | None):
    """Reject, or resolve: for a community service, its entry saved as the hub lead corrected it,
    in the same step."""
    note = decision.decision_note.data or ""
    if decision.decision.data != "resolve":
        return services.reject(current_user, suggestion.id, note)
    if form is None:
        return services.resolve_correction(current_user, suggestion.id, note)
    return services.resolve_correction(current_user, suggestion.id, note, _details(form),
                                       no_contact_confirmed=bool(form.confirm_no_contact.data))


def _review_correction(suggestion):
    decision = ResolveForm()
    details = services.correction_details(current_user, suggestion)
    form = _entry_form(details) if details is not None else None
    fields = _DecisionFields(decision, *([form] if form is not None else []))
    entry_ok = form is None or decision.decision.data != "resolve" or form.validate()
    if decision.validate_on_submit() and entry_ok and suggestion.is_pending and run(
            lambda: _decide_correction(suggestion, decision, form), form=fields):
        flash("Done. The person who suggested it has been told.", "success")
        return redirect(url_for("directory.hub_index"))
    failed = bool(decision.errors or (form is not None and form.errors))
    return form_page("directory/review_correction.html", decision, status=400 if failed else 200,
                     suggestion=suggestion, name=services.target_name(suggestion), entry_form=form)


def _save_entry(item, form: EntryForm):
    confirmed = bool(form.confirm_no_contact.data)
    if item is None:
        return services.create_entry(current_user, _details(form), no_contact_confirmed=confirmed)
    return services.update_entry(current_user, item.id, _details(form), no_contact_confirmed=confirmed)


@bp.route("/hub/directory/entries/new", methods=["GET", "POST"], defaults={"entry_id": None})
@bp.route("/hub/directory/entries/<int:entry_id>", methods=["GET", "POST"])
@require(MODERATOR)
def edit_entry(entry_id: int | None):
    item = services.entry_for_moderator(current_user, entry_id) if entry_id else None
    form = _entry_form(services.details_of(item) if item else None)
    done = submit(form, lambda: _save_entry(item, form))
    if done:
        flash(f"{done.value.name} saved and marked as checked today.", "success")
        return redirect(url_for("directory.hub_entries"))
    merge = MergeForm(formdata=None)
    if item is not None:
        merge.keep_id.choices = _entry_choices(leave_out=item.id)
    return form_page("directory/edit_entry.html", form, entry=item, merge=merge, buttons=EmptyForm(),
                     stale=services.is_stale(item) if item else False,
                     has_contact=services.has_contact(item) if item else True)


def _entry_action(entry_id: int, action, message: str):
    """A button on an entry's page: done, back to the list; refused, back to the entry."""
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("directory.hub_entries"))
    if not run(action):
        return redirect(url_for("directory.edit_entry", entry_id=entry_id))
    flash(message, "success")
    return redirect(url_for("directory.hub_entries"))


@bp.post("/hub/directory/entries/<int:entry_id>/verify")
@require(MODERATOR)
def verify_entry(entry_id: int):
    return _entry_action(entry_id, lambda: services.verify_entry(current_user, entry_id), "Marked as checked today.")


@bp.post("/hub/directory/entries/<int:entry_id>/hide")
@require(MODERATOR)
def hide_entry(entry_id: int):
    return _entry_action(entry_id, lambda: services.set_hidden(current_user, entry_id, True), "Hidden from the directory.")


@bp.post("/hub/directory/entries/<int:entry_id>/show")
@require(MODERATOR)
def show_entry(entry_id: int):
    confirmed = request.form.get("confirm_no_contact") == "y"
    return _entry_action(entry_id, lambda: services.set_hidden(current_user, entry_id, False,
                                                               no_contact_confirmed=confirmed),
                         "Shown in the directory.")


@bp.post("/hub/directory/entries/<int:entry_id>/delete")
@require(MODERATOR)
def delete_entry(entry_id: int):
    return _entry_action(entry_id, lambda: services.delete_entry(current_user, entry_id), "Deleted.")


@bp.post("/hub/directory/entries/<int:entry_id>/merge")
@require(MODERATOR)
def merge_entry(entry_id: int):
    services.entry_for_moderator(current_user, entry_id)
    form = MergeForm()
    form.keep_id.choices = [("", "")] + [(e.id, e.name) for e in services.entries_for(current_user)]
    if not form.validate_on_submit():
        flash("Choose the entry to keep.", "error")
        return redirect(url_for("directory.edit_entry", entry_id=entry_id))
    done = run(lambda: services.merge_entries(current_user, entry_id, form.keep_id.data))
    if not done:
        return redirect(url_for("directory.edit_entry", entry_id=entry_id))
    flash(f"Merged into {done.value.name}.", "success")
    return redirect(url_for("directory.hub_entries"))

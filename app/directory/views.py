"""Directory pages: public search and entries; suggestions (signed in); moderation by hub leads."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.districts import district_key, is_valid_district, normalise_district
from app.core.errors import DomainError
from app.core.flows import form_page, run, submit
from app.core.forms import EmptyForm
from app.core.pagination import page_number
from app.core.permissions import IsAdmin, IsHubLead, IsSignedIn, require
from app.core.reference import LANGUAGES
from app.directory import services
from app.directory.forms import (
    CorrectionForm,
    DecisionForm,
    EntryForm,
    MergeForm,
    ResolveForm,
    SearchForm,
    SuggestNewForm,
)
from app.hubs.services import all_districts
from app.providers.services import capacity_is_stale
from app.search import services as search
from app.taxonomy.services import categories as all_categories
from app.taxonomy.services import choices as category_choices

bp = Blueprint("directory", __name__)
# Hub leads keep their districts' entries; platform admins those no hub covers.
MODERATOR = IsHubLead | IsAdmin


# --- Public search ---------------------------------------------------------------------------------------


def _search_form() -> SearchForm:
    form = SearchForm(request.args)
    form.kind.choices = list(search.KINDS.items())
    form.category.choices = [(c.slug, c.name) for c in all_categories()]
    form.language.choices = list(LANGUAGES.items())
    form.access.choices = list(search.ACCESSIBILITY.items())
    form.sort.choices = list(search.SORTS.items())
    return form


def _districts_for(form: SearchForm, results) -> list[str]:
    """The hubs' districts and any others the results are in, in postcode order."""
    codes = set(all_districts()) | {code.upper() for code in results.counts.get("districts", {})}
    codes |= {code for code in (form.district.data or []) if is_valid_district(code)}
    return sorted(codes, key=district_key)


@bp.get("/directory")
def index():
    """A plain GET form: anything odd in the address is ignored rather than reported."""
    form = _search_form()
    valid = lambda field, allowed: [v for v in (field.data or []) if v in allowed]  # noqa: E731
    districts = [normalise_district(d) for d in (form.district.data or []) if is_valid_district(d)]
    filters = search.Filters(
        kinds=valid(form.kind, search.KINDS), categories=valid(form.category, {c for c, _ in form.category.choices}),
        districts=districts, languages=valid(form.language, LANGUAGES),
        accessibility=valid(form.access, search.ACCESSIBILITY), free=bool(form.free.data),
        accepting=bool(form.accepting.data), verified=bool(form.verified.data),
    )
    sort = form.sort.data if form.sort.data in search.SORTS else "relevance"
    near = normalise_district(form.near.data) if form.near.data and is_valid_district(form.near.data) else None
    page = page_number(request.args)
    text = (form.q.data or "")[:200]
    results = search.search(text, filters, sort=sort, near=near, page=page)
    codes = _districts_for(form, results)
    form.district.choices = [(d, d) for d in codes]
    form.near.choices = [("", "Choose a district")] + [(d, d) for d in codes]
    args = request.args.to_dict(flat=False)
    args.pop("page", None)
    return render_template("directory/index.html", form=form, results=results, filters=filters, sort=sort,
                           args=args, searched=bool(request.args))


@bp.get("/directory/services/<int:entry_id>")
def entry(entry_id: int):
    item = services.public_entry(entry_id)
    return render_template("directory/entry.html", entry=item, stale=services.is_stale(item),
                           accessibility=services.ACCESSIBILITY_FEATURES)


@bp.get("/directory/providers/<int:organisation_id>")
def provider(organisation_id: int):
    organisation = services.public_provider(organisation_id)
    accepting = bool(organisation.available_slots) and not capacity_is_stale(organisation)
    return render_template("directory/provider.html", organisation=organisation, accepting=accepting)


# --- Suggestions (anyone signed in) --------------------------------------------------------------------------


def _details(form: EntryForm) -> services.EntryDetails:
    return services.EntryDetails(
        name=form.name.data or "", description=form.description.data or "", category_ids=form.category_ids.data or [],
        districts=form.districts.data or "", organisation_name=form.organisation_name.data or "",
        address=form.address.data or "", postcode=form.postcode.data or "", email=form.email.data or "",
        phone=form.phone.data or "", website=form.website.data or "", opening_times=form.opening_times.data or "",
        is_free=form.is_free.data == "yes", cost=form.cost.data or "", eligibility=form.eligibility.data or "",
        accessibility=form.accessibility.data or [], languages=form.languages.data or [], tags=form.tags.data or "",
    )


def _fill(form: EntryForm, details: services.EntryDetails) -> None:
    for name, value in vars(details).items():
        if name == "is_free":
            form.is_free.data = "yes" if value else "no"
        elif hasattr(form, name):
            getattr(form, name).data = value


@bp.route("/directory/suggest", methods=["GET", "POST"])
@require(IsSignedIn)
def suggest():
    form = SuggestNewForm()
    form.category_ids.choices = category_choices()
    if submit(form, lambda: services.suggest_new(current_user, _details(form), form.note.data or "")):
        flash("Thank you. Your suggestion has been sent to the hub for the area, who will check it.", "success")
        return redirect(url_for("directory.index"))
    return form_page("directory/suggest.html", form)


def _listing_url(kind: str, target_id: int) -> str:
    return {"service": url_for("directory.entry", entry_id=target_id),
            "provider": url_for("directory.provider", organisation_id=target_id),
            "broker": url_for("brokers.profile", broker_id=target_id)}[kind]


@bp.route("/directory/<kind>/<int:target_id>/correction", methods=["GET", "POST"])
@require(IsSignedIn)
def correction(kind: str, target_id: int):
    if kind not in services.CORRECTION_KINDS:
        abort(404)
    target = services.correction_target(kind, target_id)
    back = _listing_url(kind, target_id)
    form = CorrectionForm()
    if submit(form, lambda: services.suggest_correction(current_user, kind, target_id, form.note.data)):
        flash("Thank you. Your correction has been sent to the hub for the area.", "success")
        return redirect(back)
    return form_page("directory/correction.html", form, name=services.listed_name(target), back_url=back)


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
        entry = services.approve_new(current_user, suggestion.id, _details(form), note)
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


def _review_correction(suggestion):
    form = ResolveForm()
    resolve = services.resolve_correction if form.decision.data == "resolve" else services.reject
    if form.validate_on_submit() and suggestion.is_pending and run(
            lambda: resolve(current_user, suggestion.id, form.decision_note.data or ""), form=_DecisionFields(form)):
        flash("Done. The person who suggested it has been told.", "success")
        return redirect(url_for("directory.hub_index"))
    return form_page("directory/review_correction.html", form, suggestion=suggestion,
                     name=services.target_name(suggestion))


def _save_entry(item, form: EntryForm):
    if item is None:
        return services.create_entry(current_user, _details(form))
    return services.update_entry(current_user, item.id, _details(form))


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
                     stale=services.is_stale(item) if item else False)


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
    return _entry_action(entry_id, lambda: services.set_hidden(current_user, entry_id, False), "Shown in the directory.")


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

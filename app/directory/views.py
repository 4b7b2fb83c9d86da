"""Directory pages: public search and entries; suggestions (signed in); moderation by hub leads."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.districts import district_key, is_valid_district, normalise_district
from app.core.errors import DomainError
from app.core.forms import EmptyForm, apply_errors
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
from app.directory.models import SuggestionStatus
from app.hubs.services import all_districts
from app.providers.services import capacity_is_stale
from app.search import service as search
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
    if form.validate_on_submit():
        try:
            services.suggest_new(current_user, _details(form), form.note.data or "")
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash("Thank you. Your suggestion has been sent to the hub for the area, who will check it.", "success")
            return redirect(url_for("directory.index"))
    return render_template("directory/suggest.html", form=form), 400 if form.errors else 200


@bp.route("/directory/<kind>/<int:target_id>/correction", methods=["GET", "POST"])
@require(IsSignedIn)
def correction(kind: str, target_id: int):
    if kind not in ("service", "provider", "broker"):
        abort(404)
    target = services.correction_target(kind, target_id)
    back = {"service": url_for("directory.entry", entry_id=target_id),
            "provider": url_for("directory.provider", organisation_id=target_id),
            "broker": url_for("brokers.profile", broker_id=target_id)}[kind]
    form = CorrectionForm()
    if form.validate_on_submit():
        try:
            services.suggest_correction(current_user, kind, target_id, form.note.data)
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash("Thank you. Your correction has been sent to the hub for the area.", "success")
            return redirect(back)
    name = getattr(target, "display_name", None) or target.name
    return render_template("directory/correction.html", form=form, name=name, back_url=back), \
        400 if form.errors else 200


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


@bp.route("/hub/directory/suggestions/<int:suggestion_id>", methods=["GET", "POST"])
@require(MODERATOR)
def review_suggestion(suggestion_id: int):
    suggestion = services.suggestion_for_moderator(current_user, suggestion_id)
    if not suggestion.is_new_service:
        return _review_correction(suggestion)
    form = _entry_form(services.EntryDetails(**{k: v for k, v in suggestion.proposed.items()
                                                 if k in services.EntryDetails.__dataclass_fields__}))
    decision = DecisionForm(prefix="d") if request.method == "POST" else DecisionForm(prefix="d", formdata=None)
    nearby = services.entries_for(current_user)
    decision.merge_into.choices = [("", "Choose an entry")] + [(e.id, f"{e.name} ({', '.join(e.district_codes)})")
                                                               for e in nearby]
    if request.method == "POST" and suggestion.status == SuggestionStatus.PENDING and decision.validate():
        try:
            if decision.decision.data == "approve":
                if not form.validate():
                    raise DomainError("Check the details above")
                entry = services.approve_new(current_user, suggestion.id, _details(form), decision.decision_note.data or "")
                flash(f"{entry.name} is now in the directory.", "success")
            elif decision.decision.data == "merge":
                if not decision.merge_into.data:
                    raise DomainError("Choose the existing entry", field="merge_into")
                services.merge_new(current_user, suggestion.id, decision.merge_into.data, decision.decision_note.data or "")
                flash("Merged with the existing entry.", "success")
            else:
                services.reject(current_user, suggestion.id, decision.decision_note.data or "")
                flash("The suggestion was not accepted. The person has been told.", "success")
        except DomainError as error:
            if error.field in ("note",):
                error.field = "decision_note"
            target_form = decision if error.field in ("merge_into", "decision_note") or not error.field else form
            apply_errors(target_form, error)
        else:
            return redirect(url_for("directory.hub_index"))
    failed = bool(form.errors or decision.errors)
    return render_template("directory/review_new.html", suggestion=suggestion, form=form, decision=decision,
                           errors_form=decision if decision.errors else form), 400 if failed else 200


def _review_correction(suggestion):
    form = ResolveForm()
    if form.validate_on_submit() and suggestion.status == SuggestionStatus.PENDING:
        try:
            if form.decision.data == "resolve":
                services.resolve_correction(current_user, suggestion.id, form.decision_note.data or "")
            else:
                services.reject(current_user, suggestion.id, form.decision_note.data or "")
        except DomainError as error:
            if error.field == "note":
                error.field = "decision_note"
            apply_errors(form, error)
        else:
            flash("Done. The person who suggested it has been told.", "success")
            return redirect(url_for("directory.hub_index"))
    return render_template("directory/review_correction.html", suggestion=suggestion, form=form,
                           name=services.target_name(suggestion)), 400 if form.errors else 200


@bp.route("/hub/directory/entries/new", methods=["GET", "POST"], defaults={"entry_id": None})
@bp.route("/hub/directory/entries/<int:entry_id>", methods=["GET", "POST"])
@require(MODERATOR)
def edit_entry(entry_id: int | None):
    item = services.entry_for_moderator(current_user, entry_id) if entry_id else None
    form = _entry_form(services.details_of(item) if item else None)
    if request.method == "POST" and form.validate():
        try:
            if item is None:
                item = services.create_entry(current_user, _details(form))
            else:
                services.update_entry(current_user, item.id, _details(form))
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash(f"{item.name} saved and marked as checked today.", "success")
            return redirect(url_for("directory.hub_entries"))
    merge = MergeForm(formdata=None)
    if item is not None:
        merge.keep_id.choices = [("", "Choose an entry")] + [
            (e.id, f"{e.name} ({', '.join(e.district_codes)})") for e in services.entries_for(current_user)
            if e.id != item.id]
    return render_template("directory/edit_entry.html", form=form, entry=item, merge=merge, buttons=EmptyForm(),
                           stale=services.is_stale(item) if item else False), 400 if form.errors else 200


def _entry_action(entry_id: int, action, message: str):
    if EmptyForm().validate_on_submit():
        try:
            action()
        except DomainError as error:
            flash(error.message, "error")
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
    if form.validate_on_submit():
        try:
            kept = services.merge_entries(current_user, entry_id, form.keep_id.data)
        except DomainError as error:
            flash(error.message, "error")
            return redirect(url_for("directory.edit_entry", entry_id=entry_id))
        flash(f"Merged into {kept.name}.", "success")
        return redirect(url_for("directory.hub_entries"))
    flash("Choose the entry to keep.", "error")
    return redirect(url_for("directory.edit_entry", entry_id=entry_id))


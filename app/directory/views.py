"""Directory pages: public search and entries; suggestions (signed in); moderation by hub leads."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.districts import district_key, is_valid_district, normalise_district
from app.core.flows import form_page, submit
from app.core.pagination import page_number
from app.core.permissions import IsSignedIn, require
from app.core.reference import LANGUAGES
from app.directory import search_page, services
from app.directory.forms import (
    CorrectionForm,
    EntryForm,
    SearchForm,
    SuggestNewForm,
)
from app.hubs.services import all_districts
from app.providers.services import capacity_is_stale
from app.search import services as search
from app.taxonomy.services import categories as all_categories
from app.taxonomy.services import choices as category_choices

bp = Blueprint("directory", __name__)


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


def _filters(form: SearchForm) -> search.Filters:
    """The options chosen, leaving out any not offered."""
    valid = lambda field, allowed: [v for v in (field.data or []) if v in allowed]  # noqa: E731
    return search.Filters(
        kinds=valid(form.kind, search.KINDS), categories=valid(form.category, {c for c, _ in form.category.choices}),
        districts=list(dict.fromkeys(normalise_district(d) for d in (form.district.data or []) if is_valid_district(d))),
        languages=valid(form.language, LANGUAGES), accessibility=valid(form.access, search.ACCESSIBILITY),
        free=bool(form.free.data), accepting=bool(form.accepting.data), verified=bool(form.verified.data),
    )


def _chosen(filters: search.Filters) -> dict[str, list[str]]:
    flags = {name: ["y"] for name in search_page.FLAGS if getattr(filters, name)}
    return {"kind": filters.kinds, "category": filters.categories, "district": filters.districts,
            "language": filters.languages, "access": filters.accessibility, **flags}


def _page_links(form: SearchForm, filters: search.Filters, answer: search.Corrected) -> dict:
    """The addresses the results page links to: its pages, each result, the chosen filters."""
    args = search_page.search_args(request.args)
    args.pop("page", None)
    instead_url = None
    if answer.typed is not None:  # the results are for the suggestion
        args["q"] = [answer.words]
        form.q.data = answer.words
        instead_url = url_for("directory.index", **{**args, "q": [answer.typed], "as_typed": ["y"]})
    here = {**args, "page": [str(answer.results.page)]} if answer.results.page > 1 else args
    return {"args": args, "back_query": search_page.query_string(here), "search_instead_url": instead_url,
            "chosen": search_page.chosen_filters(form, _chosen(filters), args),
            "clear_filters_url": search_page.clear_filters_url(args)}


@bp.get("/directory")
def index():
    """A plain GET form: anything odd in the address is ignored rather than reported."""
    form = _search_form()
    filters = _filters(form)
    sort = form.sort.data if form.sort.data in search.SORTS else "relevance"
    near = normalise_district(form.near.data) if form.near.data and is_valid_district(form.near.data) else None
    answer = search.search_correcting((form.q.data or "")[:200], filters, as_typed=bool(request.args.get("as_typed")),
                                      sort=sort, near=near, page=page_number(request.args))
    codes = _districts_for(form, answer.results)
    form.district.choices = [(d, d) for d in codes]
    form.near.choices = [("", "Choose a district")] + [(d, d) for d in codes]
    return render_template("directory/index.html", form=form, results=answer.results, filters=filters, sort=sort,
                           typed=answer.typed, searched=bool(request.args), **_page_links(form, filters, answer))


@bp.get("/directory/services/<int:entry_id>")
def entry(entry_id: int):
    item = services.public_entry(entry_id)
    return render_template("directory/entry.html", entry=item, stale=services.is_stale(item),
                           accessibility=services.ACCESSIBILITY_FEATURES,
                           directory_url=search_page.directory_url(request.args))


@bp.get("/directory/providers/<int:organisation_id>")
def provider(organisation_id: int):
    organisation = services.public_provider(organisation_id)
    accepting = bool(organisation.available_slots) and not capacity_is_stale(organisation)
    return render_template("directory/provider.html", organisation=organisation, accepting=accepting,
                           directory_url=search_page.directory_url(request.args))


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


# The moderation routes live in their own module, on this blueprint.
from app.directory import moderation_views  # noqa: E402,F401

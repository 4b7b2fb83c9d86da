"""`/api/openreferral/`: the public directory as Open Referral UK (HSDS 3.0 UK profile) JSON.

Read only (GET), open to anyone and any website (`Access-Control-Allow-Origin: *`).
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from app.extensions import csrf, limiter
from app.openreferral import services

bp = Blueprint("openreferral", __name__, url_prefix="/api/openreferral")
csrf.exempt(bp)

API_LIMIT = "120 per minute"


@bp.after_request
def open_to_everyone(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET"
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


def _error(status: int, message: str):
    response = jsonify({"error": message, "status": status})
    response.status_code = status
    return response


def _paged(build):
    try:
        paging = services.paging(request.args)
    except services.BadRequest as error:
        return _error(400, str(error))
    return jsonify(build(paging))


def _one(found, what: str):
    if found is None:
        return _error(404, f"No {what} with that id is listed")
    return jsonify(found)


@bp.get("/")
@limiter.limit(API_LIMIT)
def version():
    return jsonify(services.version())


@bp.get("/services")
@limiter.limit(API_LIMIT)
def services_list():
    return _paged(lambda paging: services.services_page(request.args, paging))


@bp.get("/services/<service_id>")
@limiter.limit(API_LIMIT)
def service(service_id: str):
    return _one(services.service(service_id), "service")


@bp.get("/service_at_locations")
@limiter.limit(API_LIMIT)
def service_at_locations():
    return _paged(lambda paging: services.service_at_locations_page(request.args, paging))


@bp.get("/service_at_locations/<item_id>")
@limiter.limit(API_LIMIT)
def service_at_location(item_id: str):
    return _one(services.service_at_location(item_id), "service at a location")


@bp.get("/taxonomies")
@limiter.limit(API_LIMIT)
def taxonomies():
    return _paged(services.taxonomies)


@bp.get("/taxonomies/<taxonomy_id>")
@limiter.limit(API_LIMIT)
def taxonomy(taxonomy_id: str):
    return _one(services.taxonomy() if taxonomy_id == services.TAXONOMY_ID else None, "taxonomy")


@bp.get("/taxonomy_terms")
@limiter.limit(API_LIMIT)
def taxonomy_terms():
    return _paged(services.taxonomy_terms)


@bp.get("/taxonomy_terms/<term_id>")
@limiter.limit(API_LIMIT)
def taxonomy_term(term_id: str):
    category = services.find_term(term_id)
    return _one(services.taxonomy_term(category) if category else None, "taxonomy term")

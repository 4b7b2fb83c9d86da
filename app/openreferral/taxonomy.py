"""The service categories as one Open Referral taxonomy and its terms."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.openreferral.ids import derived
from app.openreferral.paging import Paging, page_of
from app.taxonomy.models import ServiceCategory

TAXONOMY_NAME = "OurChoice service categories"
TAXONOMY_ID = derived("taxonomy", "service-categories")


def term_id(category: ServiceCategory) -> str:
    return derived("category", category.slug)


def _categories() -> list[ServiceCategory]:
    return list(db.session.scalars(select(ServiceCategory).where(ServiceCategory.active.is_(True))
                                   .order_by(ServiceCategory.sort_order, ServiceCategory.name)))


def taxonomy_term(category: ServiceCategory) -> dict[str, Any]:
    return {
        "id": term_id(category),
        "name": category.name,
        "description": category.description or category.name,
        "taxonomy": TAXONOMY_NAME,
        "taxonomy_id": TAXONOMY_ID,
        "term": category.slug,
    }


def taxonomy() -> dict[str, Any]:
    return {"id": TAXONOMY_ID, "name": TAXONOMY_NAME,
            "description": "The kinds of care, support and community service in the OurChoice directory.",
            "version": "1"}


def taxonomy_terms(paging_: Paging) -> dict[str, Any]:
    terms = [taxonomy_term(c) for c in _categories()]
    start = (paging_.page - 1) * paging_.per_page
    return page_of(terms[start:start + paging_.per_page], len(terms), paging_)


def find_term(term: str) -> ServiceCategory | None:
    return next((c for c in _categories() if term_id(c) == term), None)


def taxonomies(paging_: Paging) -> dict[str, Any]:
    items = [taxonomy()] if paging_.page == 1 else []
    return page_of(items, 1, paging_)

"""Service categories: the list everyone picks from, kept by platform admins."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from app.core import audit
from app.core.errors import DomainError
from app.core.permissions import IsAdmin, ensure
from app.core.records import get_or_404
from app.extensions import db
from app.taxonomy.models import ServiceCategory

# The categories migration 0004 creates: (slug, name, regulated personal care, description).
DEFAULT_CATEGORIES = [
    ("personal-care", "Personal care", True, "Help with washing, dressing, eating, going to the toilet and medication."),
    ("help-at-home", "Help at home", False, "Cleaning, shopping, cooking and keeping the home running."),
    ("personal-assistant", "Personal assistant", False,
     "A worker you employ or choose, who supports you in the ways you decide."),
    ("day-opportunities", "Day opportunities", False,
     "Things to do in the day: groups, learning, leisure and volunteering."),
    ("short-breaks-respite", "Short breaks and respite", False, "A break for you and the people who care for you."),
    ("supported-living", "Supported living", True, "Support in your own home or a shared home, with your own tenancy."),
    ("getting-out-and-about", "Getting out and about", False, "Support to get to the places you want to go."),
    ("travel", "Travel", False, "Transport and travel training."),
    ("equipment-adaptations", "Equipment and adaptations", False, "Equipment, aids and changes to your home."),
    ("employment-support", "Employment support", False, "Help to find, get and keep work."),
    ("befriending", "Befriending", False, "Regular company and friendship, often from a volunteer."),
    ("advice-information", "Advice and information", False, "Advice about benefits, rights, money and services."),
    ("peer-support", "Peer support", False, "Support from people with similar experiences."),
    ("carers-support", "Support for carers", False, "Support for family and friends who care."),
    # Added by migration 0005, for brokers in the directory.
    ("brokerage", "Support brokerage and planning", False,
     "Independent support brokers who help you plan and arrange your support."),
]


def categories(*, active_only: bool = True) -> list[ServiceCategory]:
    """The categories in their display order (only those still offered, unless asked)."""
    query = select(ServiceCategory).order_by(ServiceCategory.sort_order, ServiceCategory.name)
    if active_only:
        query = query.where(ServiceCategory.active.is_(True))
    return list(db.session.scalars(query))


def choices() -> list[tuple[int, str]]:
    """(id, name) of the categories still offered, for a form's choices."""
    return [(c.id, c.name) for c in categories()]


def get(category_id: int) -> ServiceCategory:
    """One category (404 when there is no such category)."""
    return get_or_404(ServiceCategory, category_id)


def save(actor, category: ServiceCategory | None, *, name: str, description: str, regulated: bool,
         active: bool) -> ServiceCategory:
    """Add a category (`category` None) or change one (platform admins only); names are unique."""
    ensure(IsAdmin, actor, hide=False)
    name = name.strip()
    clash = db.session.scalar(select(ServiceCategory).where(func.lower(ServiceCategory.name) == name.lower()))
    if clash is not None and clash is not category:
        raise DomainError("There is already a category with this name", field="name")
    if category is None:
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:64] or "category"
        if db.session.scalar(select(ServiceCategory).where(ServiceCategory.slug == slug)):
            slug = f"{slug[:56]}-{(db.session.scalar(select(func.max(ServiceCategory.id))) or 0) + 1}"
        category = ServiceCategory(slug=slug, sort_order=(db.session.scalar(
            select(func.max(ServiceCategory.sort_order))) or 0) + 1)
        db.session.add(category)
    category.name, category.description = name, description.strip()
    category.regulated, category.active = regulated, active
    db.session.flush()
    audit.record("category.saved", actor=actor, obj=category, name=name, active=active)
    return category


def names_of(category_ids) -> list[str]:
    """The names of these categories, in the list's order (for "may pay for: ...")."""
    if not category_ids:
        return []
    return list(db.session.scalars(select(ServiceCategory.name).where(ServiceCategory.id.in_(list(category_ids)))
                                   .order_by(ServiceCategory.sort_order, ServiceCategory.name)))

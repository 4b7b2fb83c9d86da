"""Jinja set-up: GOV.UK Frontend macros, our filters, permission tests and navigation."""

from __future__ import annotations

import logging

from flask import Flask, has_request_context
from flask_login import current_user
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from sqlalchemy.exc import SQLAlchemyError

from app.core import navigation, reference
from app.core.money import format_pence
from app.core.notifications import unread_count
from app.core.permissions import allowed, allowed_test, perm
from app.core.reference import labels
from app.core.text import count_of
from app.core.timeutil import format_date, format_datetime, format_minutes, format_time_left

log = logging.getLogger(__name__)

# Reference lists every template can use to show labels for stored values.
REFERENCE_TABLES = ("SPECIALISMS", "LANGUAGES", "BROKERAGE_FUNCTIONS", "QUALITY_QUESTIONS", "QUALITY_ANSWERS",
                    "COMMUNICATION_NEEDS", "SKILLS", "WORKER_GENDERS", "DAYS", "PARTS_OF_DAY")


def configure_templates(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            app.jinja_loader,
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    WTFormsHelpers(app)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters.update(
        datetime=format_datetime,
        date=format_date,
        money=format_pence,
        time_left=format_time_left,
        duration=format_minutes,
        labels=labels,
        count_of=count_of,
    )
    app.jinja_env.tests["allowed"] = allowed_test
    app.jinja_env.globals.update(perm=perm, allowed=allowed, **{name: getattr(reference, name) for name in REFERENCE_TABLES})

    @app.context_processor
    def inject_layout():
        if not has_request_context():  # emails rendered by commands have no page layout
            return {}
        try:
            signed_in = current_user.is_authenticated
            return {
                "nav_items": navigation.items_for(current_user),
                "unread_notifications": unread_count(current_user) if signed_in else 0,
                "html_classes": preference_classes(current_user) if signed_in else "",
            }
        except SQLAlchemyError:
            # The error page for a database outage must still render.
            log.exception("Could not build the page layout")
            return {"nav_items": [], "unread_notifications": 0, "html_classes": ""}


def preference_classes(user) -> str:
    classes = []
    if user.pref_larger_text:
        classes.append("oc-larger-text")
    if user.pref_high_contrast:
        classes.append("oc-high-contrast")
    if user.pref_reduced_motion:
        classes.append("oc-reduced-motion")
    return " ".join(classes)

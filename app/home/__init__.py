"""Each role's landing page and the pages that gather what is waiting for someone. This
package reads every feature, so it sits above them all (nothing imports it)."""

from flask import Blueprint

bp = Blueprint("home", __name__)

from app.home import hub_lead, hubs_public, person, views  # noqa: E402,F401 - routes

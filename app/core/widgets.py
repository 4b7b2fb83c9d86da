"""Small fixes on top of govuk-frontend-wtf widgets."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovDateInput


class DateInput(GovDateInput):
    """Day, month and year boxes that keep whatever the user typed, even when some boxes were
    left out of the request (the upstream widget expects exactly three values)."""

    def map_gov_params(self, field, **kwargs):
        raw = field.raw_data
        if raw is not None and len(raw) != 3:
            field.raw_data = None if not raw else (list(raw) + ["", "", ""])[:3]
        try:
            return super().map_gov_params(field, **kwargs)
        finally:
            field.raw_data = raw

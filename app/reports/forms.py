"""The period (and, for someone with more than one, the hub) a report is for: a GET form, so a
report's address can be bookmarked and shared with colleagues who may see it."""

from __future__ import annotations

from datetime import date

from govuk_frontend_wtf.wtforms_widgets import GovSelect
from wtforms import SelectField
from wtforms.validators import Optional

from app.core.fields import DateField, coerce_id
from app.core.forms import BaseForm
from app.reports.period import LONGEST, Period


class PeriodForm(BaseForm):
    class Meta:
        csrf = False

    # Not checked against the choices: the service answers 404 for a hub the user may not see.
    hub = SelectField("Hub", widget=GovSelect(), coerce=coerce_id, validators=[Optional()], validate_choice=False)
    start = DateField("From", description="For example, 1 9 2026")
    end = DateField("To", description="For example, 30 11 2026")

    def period(self, default: Period, today: date) -> Period | None:
        """The period asked for (each missing end taken from the default); None, with the
        reasons next to the fields, when it cannot be one."""
        if not self.validate():
            return None
        first, last = self.start.data or default.first_day, self.end.data or default.last_day
        if last > today:
            self.end.errors.append("The period must end today or earlier")
        elif first > last:
            self.start.errors.append("The period must start on or before the day it ends")
        elif last - first > LONGEST:
            self.start.errors.append("Choose a period of 3 years or less")
        else:
            return Period(first, last)
        return None

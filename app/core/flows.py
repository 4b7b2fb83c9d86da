"""The shared plumbing of a view that changes something: validate the form, call the service,
and put what the service said no to beside the field it concerns, in one place.

    done = submit(form, lambda: posting.create_draft(current_user, engagement.id, details(form)))
    if done:
        flash("Need saved as a draft.", "success")
        return redirect(url_for("needs.broker_need", need_id=done.value.id))
    return form_page("needs/need_form.html", form, engagement=engagement)

When the service raises a `DomainError`, the request's unit of work is rolled back (nothing half
done is kept) and the form keeps what the person typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import flash, render_template
from flask_wtf import FlaskForm

from app.core import unit_of_work
from app.core.errors import DomainError, DomainErrors
from app.core.forms import apply_errors

T = TypeVar("T")
F = TypeVar("F", bound=FlaskForm)


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What happened: `done` (also the outcome's truth) and the service's answer."""

    done: bool
    value: T | None = None

    def __bool__(self) -> bool:
        return self.done


NOT_DONE: Outcome[Any] = Outcome(False)


def run(action: Callable[[], T], *, form: FlaskForm | None = None) -> Outcome[T]:
    """Call the service. A DomainError goes onto `form` (or, for a button with no form to show
    again, into a flashed error message) and the unit of work is rolled back."""
    try:
        value = action()
    except DomainError as error:
        unit_of_work.refused()
        if form is not None:
            apply_errors(form, error)
        else:
            for one in getattr(error, "errors", None) or [error]:
                flash(one.message, "error")
        return NOT_DONE
    return Outcome(True, value)


def submit(form: FlaskForm, action: Callable[[], T], *, also_check: Callable[[], object] | None = None) -> Outcome[T]:
    """When the form was posted and is valid, call the service (see `run`).

    A long form whose own checks failed can also ask the service's checks of the details (`also_check`,
    which changes nothing), so every problem is shown at once rather than one stage at a time;
    a field the form already flagged keeps only the form's message."""
    if not form.validate_on_submit():
        if also_check is not None and form.is_submitted():
            _add_service_errors(form, also_check)
        return NOT_DONE
    return run(action, form=form)


def _add_service_errors(form: FlaskForm, check: Callable[[], object]) -> None:
    try:
        check()
    except DomainError as error:
        flagged = {name for name, field_errors in form.errors.items() if field_errors}
        more = [one for one in getattr(error, "errors", None) or [error] if one.field and one.field not in flagged]
        if more:
            apply_errors(form, DomainErrors(more))


def press(form: FlaskForm, action: Callable[[], T]) -> Outcome[T]:
    """A button (a form with only its CSRF token): call the service and flash what it refused."""
    if not form.validate_on_submit():
        return NOT_DONE
    return run(action)


def row_form(form_class: type[F], prefix: str, row_id: int) -> F:
    """The form of one row of a list page, as posted: its fields are named `<prefix><id>-...`,
    so each row's form posts on its own."""
    return form_class(prefix=f"{prefix}{row_id}")


def row_forms(form_class: type[F], prefix: str, rows, failed: F | None = None, failed_id: int | None = None) -> dict:
    """row id -> a blank form for each row of a list page (see `row_form`), with the one that
    failed (`failed_id`) kept as posted, with its errors."""
    forms = {row.id: form_class(prefix=f"{prefix}{row.id}", formdata=None) for row in rows}
    if failed is not None:
        forms[failed_id] = failed
    return forms


def form_page(template: str, form: FlaskForm, status: int | None = None, **context: Any):
    """Render a form page: 400 when the form has errors, so the failed submission is visible to
    tools and tests as it is to the person reading the error summary."""
    if status is None:
        status = 400 if form.errors else 200
    return render_template(template, form=form, **context), status

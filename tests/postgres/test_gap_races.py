"""Gaps under pressure, on a real PostgreSQL server: a double-clicked "Record gap", and a broker
recording a gap while the scheduled task flags the same need, each make exactly one gap."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.core.errors import DomainError
from app.core.timeutil import utcnow
from app.extensions import db
from app.needs import posting, tasks
from app.needs.models import Gap, Need
from tests.factories import (
    BudgetHolderFactory,
    HubFactory,
    accredited_broker,
    agree_and_publish,
    engagement,
    need_details,
)
from tests.postgres.test_engagements_races import race


def _published(pg_app):
    broker = accredited_broker(HubFactory(districts=["W9"]))
    row = engagement(BudgetHolderFactory(), broker)
    need = posting.create_draft(broker.user, row.id, need_details())
    agree_and_publish(broker.user, need)
    db.session.commit()
    return broker, need


def test_a_double_clicked_record_gap_makes_one_gap(pg_app):
    broker, need = _published(pg_app)
    outcomes = race(pg_app, [lambda: posting.raise_gap(db.session.get(type(broker.user), broker.user_id), need.id,
                                                       "Nobody offers early visits.")] * 2)
    assert db.session.scalar(select(func.count(Gap.id))) == 1
    assert sum(isinstance(o, DomainError) for o in outcomes) == 1


def test_a_broker_and_the_scheduled_flagging_make_one_gap(pg_app):
    broker, need = _published(pg_app)
    db.session.get(Need, need.id).published_at = utcnow() - timedelta(days=4)
    db.session.commit()
    outcomes = race(pg_app, [
        lambda: posting.raise_gap(db.session.get(type(broker.user), broker.user_id), need.id, "Nothing came."),
        lambda: tasks.flag_gaps(),
    ])
    assert db.session.scalar(select(func.count(Gap.id))) == 1
    # Each finished: a gap or "already recorded" for the broker, a count for the task (None: it crashed).
    assert isinstance(outcomes[0], (Gap, DomainError)) and isinstance(outcomes[1], int)
    assert isinstance(outcomes[0], Gap) != (outcomes[1] == 1)  # exactly one of them recorded it


def test_a_double_clicked_gap_on_its_own_makes_one_gap(pg_app):
    from app.engagements.services import broker_clients
    from app.needs import services as needs
    from tests.factories import category

    broker, need = _published(pg_app)
    person = need.holder
    engagement_id = next(e.id for e in broker_clients(broker.user) if e.holder_id == person.id)
    details = needs.GapDetails(category_id=category("befriending").id, district="W9", needed="A befriender.",
                               happened="Nobody in W9.", engagement_id=engagement_id)
    outcomes = race(pg_app, [lambda: needs.raise_gap_on_its_own(db.session.get(type(broker.user), broker.user_id),
                                                                details)] * 2)
    assert db.session.scalar(select(func.count(Gap.id)).where(Gap.need_id.is_(None))) == 1
    assert sum(isinstance(o, DomainError) for o in outcomes) == 1

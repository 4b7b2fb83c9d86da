"""Requests racing on a real PostgreSQL server: a double-clicked accept makes one engagement;
asking two brokers at the same moment leaves one pending request."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from app.accounts.models import User
from app.brokerage import services
from app.brokerage.models import BrokerRequest, Engagement, RequestStatus
from app.core.errors import DomainError
from app.core.timeutil import add_working_days, utcnow
from app.extensions import db
from app.holders import services as holders
from tests.factories import BudgetHolderFactory, HubFactory, accredited_broker


def race(app, functions):
    """Run each function in its own thread and app context, all starting together."""
    barrier = threading.Barrier(len(functions))
    outcomes: list = [None] * len(functions)

    def run(index, fn):
        with app.app_context():
            barrier.wait()
            try:
                outcomes[index] = fn()
            except DomainError as error:
                outcomes[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_double_clicked_accept_makes_one_engagement(pg_app):
    broker = accredited_broker(HubFactory())
    person = BudgetHolderFactory()
    request = BrokerRequest(holder=person, broker=broker, sent_by_id=person.user_id,
                            respond_by=add_working_days(utcnow(), 5))
    db.session.add(request)
    db.session.commit()
    broker_user_id, request_id = broker.user_id, request.id

    def accept():
        return services.accept_request(db.session.get(User, broker_user_id), request_id)

    outcomes = race(pg_app, [accept] * 4)
    assert sum(isinstance(o, Engagement) for o in outcomes) == 1
    assert sum(isinstance(o, DomainError) for o in outcomes) == 3
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Engagement)) == 1


def test_asking_two_brokers_at_once_leaves_one_pending_request(pg_app):
    hub = HubFactory()
    first, second = accredited_broker(hub), accredited_broker(hub)
    person = BudgetHolderFactory()
    user_id, holder_id = person.user_id, person.id

    def ask(broker_id):
        def run():
            acting = holders.access(db.session.get(User, user_id), holder_id, act=True)
            return services.ask_broker(acting, broker_id, message="Please help", help_wanted=["planning"],
                                       consent=True)
        return run

    outcomes = race(pg_app, [ask(first.id), ask(second.id), ask(first.id)])
    assert sum(isinstance(o, BrokerRequest) for o in outcomes) == 1
    db.session.expire_all()
    pending = db.session.scalar(select(func.count()).select_from(BrokerRequest)
                                .where(BrokerRequest.status == RequestStatus.PENDING))
    assert pending == 1

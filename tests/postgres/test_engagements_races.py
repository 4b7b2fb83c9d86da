"""Requests racing on a real PostgreSQL server: a double-clicked accept makes one engagement;
asking two brokers at the same moment leaves one pending request."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from app.accounts.models import User
from app.core import unit_of_work
from app.core.errors import DomainError
from app.core.timeutil import add_working_days, utcnow
from app.engagements import services
from app.engagements.models import BrokerRequest, Engagement, RequestStatus
from app.extensions import db
from app.holders import services as holders
from tests.factories import BudgetHolderFactory, HubFactory, accredited_broker


def race(app, functions):
    """Run each function in its own thread and app context, all starting together, each one a
    unit of work of its own (as each request is). What the test set up is committed first."""
    db.session.commit()
    for obj in list(db.session.identity_map.values()):
        db.session.refresh(obj)  # loaded now: a thread reading an expired attribute would share this session
    barrier = threading.Barrier(len(functions))
    outcomes: list = [None] * len(functions)

    def run(index, fn):
        with app.app_context():
            barrier.wait()
            try:
                with unit_of_work.transaction():  # each racer is a request of its own
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


def _request(broker, person) -> BrokerRequest:
    request = BrokerRequest(holder=person, broker=broker, sent_by_id=person.user_id,
                            respond_by=add_working_days(utcnow(), 5))
    db.session.add(request)
    return request


def test_a_broker_with_one_place_left_accepting_two_requests_at_once_takes_one_client(pg_app):
    from tests.factories import engagement

    broker = accredited_broker(HubFactory(), max_clients=2)
    engagement(BudgetHolderFactory(), broker)  # one place left
    requests = [_request(broker, BudgetHolderFactory()) for _ in range(3)]
    db.session.commit()
    broker_user_id, request_ids = broker.user_id, [r.id for r in requests]

    def accept(request_id):
        return lambda: services.accept_request(db.session.get(User, broker_user_id), request_id)

    outcomes = race(pg_app, [accept(i) for i in request_ids])
    assert sum(isinstance(o, Engagement) for o in outcomes) == 1, outcomes
    refused = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(refused) == 2 and all("no places left" in o.message for o in refused)
    db.session.expire_all()
    active = db.session.scalar(select(func.count()).select_from(Engagement).where(
        Engagement.broker_id == broker.id, Engagement.status == "active"))
    assert active == 2


def test_two_band_change_requests_at_once_leave_one_pending(pg_app):
    from app.engagements.models import BandChangeRequest, BandChangeStatus
    from tests.factories import band, engagement

    broker = accredited_broker(HubFactory())
    row = engagement(BudgetHolderFactory(), broker)
    broker_user_id, engagement_id, to_band = broker.user_id, row.id, band("B").id

    def ask():
        return services.request_band_change(db.session.get(User, broker_user_id), engagement_id, to_band,
                                            "Complex family situation")

    outcomes = race(pg_app, [ask] * 4)
    assert sum(isinstance(o, BandChangeRequest) for o in outcomes) == 1, outcomes
    assert all("already a band change waiting" in o.message for o in outcomes if isinstance(o, DomainError))
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(BandChangeRequest).where(
        BandChangeRequest.status == BandChangeStatus.PENDING)) == 1


def test_the_same_review_sent_four_times_at_once_is_saved_once_with_no_server_error(pg_app):
    """Real concurrent HTTP requests through the test client, CSRF token and all."""
    import threading

    from app.core.reference import QUALITY_QUESTIONS
    from app.engagements.models import Review
    from tests.conftest import find_csrf, sign_in_as
    from tests.factories import engagement

    broker = accredited_broker(HubFactory())
    person = BudgetHolderFactory()
    row = engagement(person, broker)
    services.end_by_broker(broker.user, row.id, "Plan signed off.")
    url = f"/people/{person.id}/engagements/{row.id}/review"
    data = {f"q_{key}": "yes" for key in QUALITY_QUESTIONS} | {"rating": "5", "comment": "Very kind."}
    clients = []
    for _ in range(4):
        client = sign_in_as(pg_app.test_client(), person.user)
        clients.append((client, find_csrf(client.get(url).get_data(as_text=True))))
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def send(client, token):
        barrier.wait()
        statuses.append(client.post(url, data={"csrf_token": token, **data}).status_code)

    threads = [threading.Thread(target=send, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(statuses) == 4 and 500 not in statuses, statuses
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Review)) == 1

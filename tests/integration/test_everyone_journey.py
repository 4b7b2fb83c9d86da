"""Asking a broker when you both have a personal budget and help someone else, or only help them:
the page says, before the form, what stops each person, and offers only those who can ask."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.timeutil import utcnow
from app.engagements.models import BrokerRequest
from app.extensions import db
from app.holders.models import DelegateAccess, Delegation, DelegationStatus
from tests.factories import BudgetHolderFactory, HubFactory, UserFactory, accredited_broker, engagement


@pytest.fixture
def hub(app):
    return HubFactory(name="Westminster Hub", districts=["W9"])


@pytest.fixture
def grace(app):
    return BudgetHolderFactory(name="Grace Okafor", user__name="Grace Okafor", district="W9")


def helps(user, holder, access=DelegateAccess.ACT):
    db.session.add(Delegation(holder=holder, user_id=user.id, email=user.email, name=user.name, access=access,
                              status=DelegationStatus.ACTIVE, invited_by_id=holder.user_id, accepted_at=utcnow(),
                              expires_at=utcnow() + timedelta(days=14)))
    db.session.commit()


def test_a_helper_with_a_broker_of_their_own_can_still_ask_for_the_person_they_help(client, login, hub, grace):
    daniel = accredited_broker(hub, name="Daniel Price")
    fatima = accredited_broker(hub, name="Fatima Rahman")
    ada = BudgetHolderFactory(name="Ada Okafor", user__name="Ada Okafor", district="W9")
    engagement(ada, daniel)
    helps(ada.user, grace)
    login(ada.user)
    page = client.get(f"/brokers/{fatima.id}/ask").get_data(as_text=True)
    assert "You already work with Daniel Price. To choose another broker, end that work first." in page
    assert "You are asking on behalf of Grace Okafor." in page
    assert f'name="holder_id" value="{grace.id}"' in page and f'value="{ada.id}"' not in page
    profile = client.get(f"/brokers/{fatima.id}").get_data(as_text=True)
    assert "Ask this broker to work with someone you help" in profile
    sent = client.submit(f"/brokers/{fatima.id}/ask", {"holder_id": str(grace.id), "help_wanted": ["planning"],
                                                       "message": "For my mum.", "consent": "y"})
    assert sent.status_code == 302
    assert db.session.scalar(select(BrokerRequest)).holder_id == grace.id
    # Now Grace has a request waiting too, said about her by name: nobody is left to ask for.
    again = client.get(f"/brokers/{daniel.id}/ask").get_data(as_text=True)
    assert ("Grace Okafor already has a request waiting with Fatima Rahman. You can withdraw it to ask someone "
            "else.") in again
    assert 'name="help_wanted"' not in again


def test_someone_who_may_only_view_is_told_who_can_change_that(client, login, hub, grace):
    daniel = accredited_broker(hub, name="Daniel Price")
    viewer = UserFactory(name="Sam Viewer")
    helps(viewer, grace, access=DelegateAccess.VIEW)
    login(viewer)
    refused = client.get(f"/brokers/{daniel.id}/ask")
    page = refused.get_data(as_text=True).replace("&#39;", "'").replace("&#34;", '"')
    assert refused.status_code == 403
    assert "You can see Grace Okafor's support, but not act for them." in page
    assert 'under "People who help you"' in page and 'name="help_wanted"' not in page

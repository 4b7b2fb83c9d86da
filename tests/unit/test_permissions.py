from types import SimpleNamespace

import pytest

from app.core import permissions as p
from app.core.errors import NotFound, PermissionDenied
from app.core.roles import Role


def person(*roles, authenticated=True, active=True):
    return SimpleNamespace(is_authenticated=authenticated, is_active=active, roles=frozenset(roles))


def test_role_rules():
    admin = person(Role.ADMIN)
    assert p.IsAdmin(admin)
    assert not p.IsBroker(admin)
    assert p.IsSignedIn(admin)


def test_anonymous_and_inactive_users_pass_no_role_rule():
    assert not p.IsAdmin(person(Role.ADMIN, authenticated=False))
    assert not p.IsAdmin(person(Role.ADMIN, active=False))
    assert not p.IsSignedIn(None)


def test_rules_compose():
    lead = person(Role.HUB_LEAD)
    assert (p.IsHubLead | p.IsAdmin)(lead)
    assert not (p.IsHubLead & p.IsAdmin)(lead)
    assert (p.IsHubLead & ~p.IsAdmin)(lead)
    assert p.CanInviteBrokers(lead)
    assert p.CanInviteBrokers.name == "has role hub_lead or has role admin"


def test_predicate_rule_sees_the_object():
    owns = p.Predicate("owns", lambda user, obj: obj.owner is user)
    someone = person(Role.BUDGET_HOLDER)
    assert owns(someone, SimpleNamespace(owner=someone))
    assert not owns(someone, SimpleNamespace(owner=object()))
    assert not owns(person(authenticated=False), SimpleNamespace(owner=None))


def test_ensure_hides_with_404_or_refuses_with_403():
    nobody = person()
    with pytest.raises(NotFound):
        p.ensure(p.IsAdmin, nobody)
    with pytest.raises(PermissionDenied):
        p.ensure(p.IsAdmin, nobody, hide=False)
    p.ensure(p.IsAdmin, person(Role.ADMIN))


def test_rules_are_reachable_from_templates_by_name():
    assert p.perm.IsAdmin is p.IsAdmin
    with pytest.raises(AttributeError):
        p.perm.NoSuchRule  # noqa: B018

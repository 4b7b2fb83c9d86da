"""Permissions as named, composable rules.

A rule is called with the acting user (and optionally an object) and answers True or False.
Rules combine with `&`, `|` and `~`. The same rule objects are used by:

* views, through the `require(rule)` decorator (signed out: to sign-in; refused: 403);
* services, through `ensure(rule, user, obj)` (refused: 404 for someone else's object,
  so a guessed URL does not even confirm the record exists);
* templates, through the `allowed` test: `{% if current_user is allowed(perm.IsAdmin) %}`.

Per-record rules live in each feature's `policies.py`, written once with `@record_rule`:

    @record_rule("shortlist")
    def can_shortlist(user, offer) -> bool: ...

Services use them (`ensure(can_shortlist, user, offer)` answers 404 when refused) and templates
ask the same rule by name: `{% if allowed("shortlist", offer) %}`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user

from app.core.errors import NotFound, PermissionDenied
from app.core.roles import Role


class Rule:
    """Base class: subclasses implement `check(user, obj)`."""

    name = "rule"

    def check(self, user: Any, obj: Any = None) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def __call__(self, user: Any, obj: Any = None) -> bool:
        if user is None:
            return False
        return bool(self.check(user, obj))

    def __and__(self, other: Rule) -> Rule:
        return _All(self, other)

    def __or__(self, other: Rule) -> Rule:
        return _Any(self, other)

    def __invert__(self) -> Rule:
        return _Not(self)

    def __repr__(self) -> str:
        return f"<Rule {self.name}>"


class _All(Rule):
    def __init__(self, *rules: Rule):
        self.rules = rules
        self.name = " and ".join(r.name for r in rules)

    def check(self, user, obj=None):
        return all(rule(user, obj) for rule in self.rules)


class _Any(Rule):
    def __init__(self, *rules: Rule):
        self.rules = rules
        self.name = " or ".join(r.name for r in rules)

    def check(self, user, obj=None):
        return any(rule(user, obj) for rule in self.rules)


class _Not(Rule):
    def __init__(self, rule: Rule):
        self.rule = rule
        self.name = f"not {rule.name}"

    def check(self, user, obj=None):
        return not self.rule(user, obj)


class IsAuthenticated(Rule):
    name = "signed in"

    def check(self, user, obj=None):
        return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "is_active", False))


class HasRole(Rule):
    def __init__(self, role: Role):
        self.role = role
        self.name = f"has role {role.value}"

    def check(self, user, obj=None):
        return IsAuthenticated()(user) and self.role in user.roles


class Predicate(Rule):
    """A rule from a plain function `fn(user, obj) -> bool`."""

    def __init__(self, name: str, fn: Callable[[Any, Any], bool]):
        self.name = name
        self.fn = fn

    def check(self, user, obj=None):
        return IsAuthenticated()(user) and self.fn(user, obj)


IsSignedIn = IsAuthenticated()
IsBudgetHolder = HasRole(Role.BUDGET_HOLDER)
IsBroker = HasRole(Role.BROKER)
IsProviderStaff = HasRole(Role.PROVIDER_STAFF)
IsHubLead = HasRole(Role.HUB_LEAD)
IsFunderOfficer = HasRole(Role.FUNDER_OFFICER)
IsAdmin = HasRole(Role.ADMIN)
CanInviteBrokers = IsHubLead | IsAdmin

RULES: dict[str, Rule] = {
    "IsSignedIn": IsSignedIn,
    "IsBudgetHolder": IsBudgetHolder,
    "IsBroker": IsBroker,
    "IsProviderStaff": IsProviderStaff,
    "IsHubLead": IsHubLead,
    "IsFunderOfficer": IsFunderOfficer,
    "IsAdmin": IsAdmin,
    "CanInviteBrokers": CanInviteBrokers,
}


def register_rule(name: str, rule: Rule) -> Rule:
    """Make a feature's rule available to templates as `perm.<name>`."""
    RULES[name] = rule
    return rule


def record_rule(name: str) -> Callable[[Callable[[Any, Any], bool]], Rule]:
    """Make `fn(user, record) -> bool` a named rule, used by services and asked by templates
    as `allowed(name, record)`. A signed-out user is refused by every record rule."""

    def decorator(fn: Callable[[Any, Any], bool]) -> Rule:
        rule = Predicate(name, fn)
        rule.__doc__ = fn.__doc__
        return register_rule(name, rule)

    return decorator


def allowed(name: str, record: Any = None) -> bool:
    """Template global: may the signed-in user do `name` with `record`?"""
    return RULES[name](current_user._get_current_object(), record)


class _RuleNamespace:
    def __getattr__(self, name: str) -> Rule:
        try:
            return RULES[name]
        except KeyError:
            raise AttributeError(name) from None


perm = _RuleNamespace()


def ensure(rule: Rule, user: Any, obj: Any = None, *, hide: bool = True) -> None:
    """Service-level check. Refusal raises NotFound (hide=True, for objects that belong to
    someone else) or PermissionDenied."""
    if not rule(user, obj):
        if hide:
            raise NotFound()
        raise PermissionDenied()


def require(rule: Rule):
    """View decorator: signed-out users go to sign in; signed-in users without the rule get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not IsSignedIn(current_user):
                from app.extensions import login_manager

                return login_manager.unauthorized()
            if not rule(current_user._get_current_object()):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_rule = rule  # type: ignore[attr-defined]
        return wrapped

    return decorator


def allowed_test(user: Any, rule: Rule, obj: Any = None) -> bool:
    return rule(user, obj)

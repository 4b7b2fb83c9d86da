"""Budget holders' reactions to an account closing: access the person gave others, and access
others gave them, ends; consents they gave are withdrawn."""

from __future__ import annotations

from app.accounts.signals import account_closed, account_closing, name_changed
from app.holders import services


@account_closing.connect
def _stop_helping_and_being_helped(user, now, **_):
    services.revoke_delegations_of_leaving_user(user, now)
    if user.budget_holder is not None:
        services.withdraw_all_consents(user.budget_holder, user)
        services.forget_name_in_messages(user.budget_holder.name)


@account_closed.connect
def _close_the_record(user, now, **_):
    services.close_record(user, now)


@name_changed.connect
def _rename_the_record(user, name, **_):
    services.rename_record(user, name)

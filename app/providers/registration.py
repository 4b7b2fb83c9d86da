"""Providers' hooks into accounts.

- The provider's kind of account on the registration page: registering creates the
  organisation (of one of the kinds offered) with the person as the owner of its account.
- When an account closes, the person leaves every organisation's staff; where they owned an
  organisation's account, the longest-serving remaining member of staff becomes the owner.
"""

from __future__ import annotations

from app.accounts.models import User
from app.accounts.services import Registration, register_kind
from app.extensions import db
from app.providers.models import ProviderKind, ProviderOrganisation, ProviderStaff


def _create_organisation(user: User, registration: Registration) -> None:
    organisation = ProviderOrganisation(
        name=registration.organisation_name.strip(), kind=ProviderKind(registration.organisation_kind)
    )
    db.session.add(ProviderStaff(organisation=organisation, user=user, is_owner=True))


register_kind("provider", "I run or work for a care or support provider", position=20,
              create=_create_organisation, organisation_kinds=ProviderKind.choices())

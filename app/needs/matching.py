"""How well a provider fits a need (to order a provider's board and choose whom to tell: the
providers `matching_providers` finds), and the match score that ranks offers for the broker and the budget holder.

The match score is explained part by part. Price is one factor out of five, and when an offer
was made is not a factor at all: fastest finger first is what OurChoice replaces.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from app.core.reference import LANGUAGES, SKILLS, WORKER_GENDERS
from app.extensions import db
from app.needs.models import AgreementStatus, Need, Offer, ServiceAgreement, Visibility
from app.needs.policies import handed_back_ids
from app.providers.models import ProviderDistrict, ProviderOrganisation, ProviderService
from app.providers.services import capacity_is_stale


def requirement_keys(need: Need) -> dict[str, str]:
    """Each requirement of the need, as a key a provider can say it meets, with its label."""
    keys: dict[str, str] = {}
    for skill in need.required_skills or []:
        keys[f"skill:{skill}"] = SKILLS.get(skill, skill)
    for language in need.required_languages or []:
        keys[f"language:{language}"] = f"Speaks {LANGUAGES.get(language, language)}"
    if need.worker_gender:
        keys[f"gender:{need.worker_gender}"] = f"Worker: {WORKER_GENDERS.get(need.worker_gender, need.worker_gender).lower()}"
    if need.double_up:
        keys["double_up"] = "Two workers at once (double-up)"
    if need.driver:
        keys["driver"] = "Worker who drives"
    return keys


ANSWERED_BY_THE_WORKER = ("gender:", "language:")


def offer_choices(need: Need) -> list[tuple[str, str]]:
    """The requirements a provider ticks on its offer. The worker's gender and languages are not
    among them: the worker the offer names answers them (`requirements_met_by`)."""
    return [(key, label) for key, label in requirement_keys(need).items() if not key.startswith(ANSWERED_BY_THE_WORKER)]


def requirements_met_by(need: Need, ticked: list[str] | None, worker_gender: str | None,
                        worker_languages: list[str] | None = None) -> list[str]:
    """The need's requirements an offer meets, in the need's order: what the provider ticked,
    the worker's gender when it is the one the need asks for, and each language the worker speaks."""
    met = {key for key in ticked or [] if not key.startswith(ANSWERED_BY_THE_WORKER)}
    if need.worker_gender and worker_gender == need.worker_gender:
        met.add(f"gender:{need.worker_gender}")
    met |= {f"language:{language}" for language in worker_languages or []}
    return [key for key in requirement_keys(need) if key in met]


def met_requirements(offer: Offer) -> list[str]:
    return requirements_met_by(offer.need, offer.requirements_met, offer.worker_gender, offer.worker_languages)


def slots(need: Need) -> set[tuple[int, str]]:
    return {(int(day), part) for day, part in need.schedule or []}


def capacity_share(organisation: ProviderOrganisation, need: Need) -> float:
    wanted = slots(need)
    if not wanted:
        return 1.0 if organisation.available_slots else 0.0
    return len(wanted & organisation.available_slots) / len(wanted)


def profile_requirement_share(organisation: ProviderOrganisation, need: Need) -> float:
    """How many of the need's requirements the provider's profile says it can meet."""
    keys = requirement_keys(need)
    if not keys:
        return 1.0
    have = {f"skill:{s}" for s in organisation.skills} | {f"language:{x}" for x in organisation.languages}
    have |= {f"gender:{g}" for g in organisation.worker_genders}
    if organisation.double_up:
        have.add("double_up")
    if organisation.drivers:
        have.add("driver")
    return len(set(keys) & have) / len(keys)


def board_fit(organisation: ProviderOrganisation, need: Need) -> int:
    """0-100: how well a need suits a provider (orders the 'needs for you' board)."""
    score = 0.0
    score += 30 if need.category_id in organisation.served_category_ids else 0
    score += 25 if need.district in organisation.served_district_codes else 0
    score += 25 * capacity_share(organisation, need)
    score += 20 * profile_requirement_share(organisation, need)
    return round(score)


@dataclass
class ScorePart:
    label: str
    points: float
    out_of: int
    explanation: str


@dataclass
class MatchScore:
    parts: list[ScorePart] = field(default_factory=list)

    @property
    def total(self) -> int:
        return round(sum(p.points for p in self.parts))


def serving_providers(need: Need) -> list[ProviderOrganisation]:
    """Verified providers whose checked services and districts include the need's."""
    return list(db.session.scalars(select(ProviderOrganisation).where(
        ProviderOrganisation.verified_at.is_not(None),
        ProviderOrganisation.districts.any((ProviderDistrict.district == need.district)
                                           & ProviderDistrict.verified_at.is_not(None)),
        ProviderOrganisation.services.any((ProviderService.category_id == need.category_id)
                                          & ProviderService.verified_at.is_not(None)),
    )))


def matching_providers(need: Need) -> list[ProviderOrganisation]:
    """Verified providers offering this service in this district whose spare capacity fits
    (or invited providers only, if the broker chose that); never one that handed it back."""
    invited = list(db.session.scalars(select(ProviderOrganisation).where(
        ProviderOrganisation.id.in_(need.invited_ids)))) if need.invited_ids else []
    handed_back = handed_back_ids(need)
    if need.visibility == Visibility.INVITED:
        return [org for org in invited if org.id not in handed_back]
    fitting = [org for org in serving_providers(need) if not slots(need) or capacity_share(org, need) > 0]
    return [org for org in {org.id: org for org in [*fitting, *invited]}.values() if org.id not in handed_back]


def works_in_district(organisation: ProviderOrganisation, district: str) -> bool:
    """Does the provider already deliver support in this district (an active agreement)?"""
    return db.session.scalar(
        select(ServiceAgreement.id).join(Need, Need.id == ServiceAgreement.need_id).where(
            ServiceAgreement.organisation_id == organisation.id, ServiceAgreement.status == AgreementStatus.ACTIVE,
            Need.district == district).limit(1)
    ) is not None


def match_score(offer: Offer) -> MatchScore:
    need, organisation = offer.need, offer.organisation
    score = MatchScore()

    keys = requirement_keys(need)
    met = met_requirements(offer)
    share = len(met) / len(keys) if keys else 1.0
    score.parts.append(ScorePart("Requirements met", 35 * share, 35,
                                 f"Meets {len(met)} of {len(keys)}" if keys else "No special requirements"))

    maximum, rate = need.max_hourly_rate_pence, offer.hourly_rate_pence
    if offer.is_above_maximum:
        points, text = 0.0, "Above the maximum rate"
    else:
        saving = (maximum - rate) / maximum if maximum else 0
        points = min(25.0, 10 + 15 * saving / 0.25)
        text = "At the maximum rate" if rate == maximum else f"{round(saving * 100)}% under the maximum rate"
    score.parts.append(ScorePart("Price", points, 25, text))

    if works_in_district(organisation, need.district):
        points, text = 15.0, f"Already supports people in {need.district}"
    elif need.district in organisation.served_district_codes:
        points, text = 10.0, f"Serves {need.district}"
    else:
        points, text = 0.0, f"Does not list {need.district} as an area it serves"
    score.parts.append(ScorePart("Works in the area", points, 15, text))

    capacity = capacity_share(organisation, need)
    stale = capacity_is_stale(organisation)
    points = 15 * capacity * (0.5 if stale else 1)
    text = f"Spare capacity at {round(capacity * 100)}% of the times needed"
    score.parts.append(ScorePart("Spare capacity", points, 15, text + (" (not updated recently)" if stale else "")))

    regulated = need.category.regulated if need.category else False
    points = 6 if organisation.is_verified else 0
    registered = bool(organisation.cqc_number) or not regulated
    points += 4 if registered else 0
    text = ("Verified by a hub" if organisation.is_verified else "Not verified") + (
        "; CQC registered" if organisation.cqc_number else ("; CQC registration needed" if regulated else ""))
    score.parts.append(ScorePart("Checks", points, 10, text))
    return score


def rank(offers: list[Offer]) -> list[tuple[Offer, MatchScore]]:
    scored = [(offer, match_score(offer)) for offer in offers]
    scored.sort(key=lambda pair: (-pair[1].total, pair[0].hourly_rate_pence, pair[0].organisation.name))
    return scored

"""The Open Referral UK API: real responses validated against the official UK profile schemas
(copied into tests/fixtures/openreferral-uk from OpenReferralUK/uk-profile), open to any
website, read only, and nothing but public listings."""

from __future__ import annotations

import json
from pathlib import Path

import email_validator
import jsonschema
import pytest

from app.directory.models import EntryStatus
from app.extensions import db
from app.search import queue
from tests.factories import BudgetHolderFactory, HubFactory, accredited_broker, category, directory_entry, provider

SCHEMAS = Path(__file__).resolve().parents[1] / "fixtures" / "openreferral-uk" / "schema"
PAGE_FIELDS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}
LIST_ENDPOINTS = ["/api/openreferral/services", "/api/openreferral/service_at_locations",
                  "/api/openreferral/taxonomies", "/api/openreferral/taxonomy_terms"]
BAD_EMAIL = "hello@carers-coffee-morning,-chelsea.example.org"  # what the demo data used to publish
BAD_WEBSITE = "https://mind-in-the-west:-peer-support.example.org"

# The schemas' formats ("uri", "email", "uuid", "date-time"...), checked as a conformance tool
# would. "uri" and "date-time" need jsonschema's format extras (requirements-test.txt); its own
# "email" check only looks for an @, so email-validator checks email addresses instead.
FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("email", raises=email_validator.EmailNotValidError)
def _is_email(instance) -> bool:
    if isinstance(instance, str):
        email_validator.validate_email(instance, check_deliverability=False, allow_smtputf8=False)
    return True


def schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text())


def validate(data, name: str) -> None:
    jsonschema.validate(data, schema(name), format_checker=FORMATS)


def check_page(data: dict, item_schema: str) -> None:
    assert set(data) == PAGE_FIELDS
    page_schema = json.loads((SCHEMAS / "openapi.json").read_text())["components"]["schemas"]["Page"]
    jsonschema.validate({k: v for k, v in data.items() if k != "contents"}, page_schema, format_checker=FORMATS)
    for item in data["contents"]:
        validate(item, item_schema)


def test_the_format_checks_are_really_on():
    """Without the format extras, FormatChecker passes any "uri" without a word."""
    assert FORMATS.conforms("https://befriending.example.org/visits?day=1", "uri")
    assert not FORMATS.conforms(BAD_WEBSITE, "uri")
    assert FORMATS.conforms("hello@befriending.example.org", "email")
    assert not FORMATS.conforms(BAD_EMAIL, "email")
    assert not FORMATS.conforms("yesterday", "date-time")
    with pytest.raises(jsonschema.ValidationError):
        validate({"id": "00000000-0000-4000-8000-000000000000", "name": "A", "status": "active",
                  "organization_id": "00000000-0000-4000-8000-000000000000", "url": BAD_WEBSITE},
                 "compiled/service_list.json")


@pytest.fixture
def listings(app):
    hub = HubFactory(districts=["W9", "W10"])
    directory_entry("Maida Vale Befriending Scheme", districts=("W9",), postcode="W9 2EG",
                    address="Community Hall\n12 Elgin Avenue", phone="020 7946 0123", email="hello@example.org",
                    website="https://befriending.example.org", opening_times="Weekdays 10am to 4pm",
                    languages=["arabic", "polish"], accessibility=["step_free", "hearing_loop"],
                    eligibility="People over 60", organisation_name="Maida Vale Trust")
    directory_entry("Pimlico Lunch Club", categories=("day-opportunities",), districts=("SW1",), is_free=False,
                    cost="£3.50 for lunch")
    directory_entry("Hidden Club", status=EntryStatus.HIDDEN)
    provider("Maida Vale Home Care", districts=("W9",), services=("personal-care", "help-at-home"),
             description="Care at home.", cqc_number="1-123456789", rate_from_pence=2450)
    provider("Unchecked Care", verified=False)
    accredited_broker(hub, name="Rahman Planning", specialisms=("older_people",))
    BudgetHolderFactory(name="Grace Okafor")
    queue.process_queue()


def test_version(client):
    response = client.get("/api/openreferral/")
    assert response.status_code == 200
    assert response.json["version"] == "3.0"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_services_are_a_valid_page_of_public_listings_only(client, listings):
    response = client.get("/api/openreferral/services")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Content-Type"] == "application/json"
    data = response.json
    check_page(data, "compiled/service_list.json")
    assert {s["name"] for s in data["contents"]} == {"Maida Vale Befriending Scheme", "Pimlico Lunch Club",
                                                     "Maida Vale Home Care", "Rahman Planning"}
    text = response.get_data(as_text=True)
    assert "Hidden Club" not in text and "Unchecked Care" not in text and "Grace Okafor" not in text


def test_each_service_in_full_is_valid(client, listings):
    for summary in client.get("/api/openreferral/services").json["contents"]:
        response = client.get(f"/api/openreferral/services/{summary['id']}")
        assert response.status_code == 200
        validate(response.json, "compiled/service.json")
        assert response.json["id"] == summary["id"]


def test_a_community_service_carries_its_details(client, listings):
    summary = client.get("/api/openreferral/services?search=befriending").json["contents"][0]
    service = client.get(f"/api/openreferral/services/{summary['id']}").json
    assert service["status"] == "active"
    assert service["url"] == "https://befriending.example.org"
    assert service["organization"]["name"] == "Maida Vale Trust"
    assert [a["taxonomy_term"]["name"] for a in service["attributes"]] == ["Befriending"]
    assert [a["extent"] for a in service["service_areas"]] == ["W9"]
    assert {lang["code"] for lang in service["languages"]} == {"ar", "pl"}
    place = service["service_at_locations"][0]["location"]
    assert place["addresses"][0]["postal_code"] == "W9 2EG"
    assert {a["description"] for a in place["accessibility"]} == {"Step-free access", "Hearing loop"}
    assert service["schedules"][0]["description"] == "Weekdays 10am to 4pm"
    assert service["cost_options"][0]["amount_description"] == "Free"
    assert service["contacts"][0]["phones"][0]["number"] == "020 7946 0123"


def test_ids_are_stable(client, listings):
    first = [s["id"] for s in client.get("/api/openreferral/services").json["contents"]]
    second = [s["id"] for s in client.get("/api/openreferral/services").json["contents"]]
    assert first == second


def test_search_and_taxonomy_filters(client, listings):
    names = lambda url: [s["name"] for s in client.get(url).json["contents"]]  # noqa: E731
    assert names("/api/openreferral/services?search=lunch") == ["Pimlico Lunch Club"]
    terms = client.get("/api/openreferral/taxonomy_terms?per_page=100").json["contents"]
    personal_care = next(t["id"] for t in terms if t["term"] == "personal-care")
    assert names(f"/api/openreferral/services?taxonomy_term_id={personal_care}") == ["Maida Vale Home Care"]
    brokerage = next(t["id"] for t in terms if t["term"] == "brokerage")
    assert names(f"/api/openreferral/services?taxonomy_term_id={brokerage}") == ["Rahman Planning"]
    unknown = client.get("/api/openreferral/services?taxonomy_term_id=00000000-0000-4000-8000-000000000000").json
    assert (unknown["total_items"], unknown["empty"], unknown["contents"]) == (0, True, [])


def test_paging(client, listings):
    first = client.get("/api/openreferral/services?per_page=3&page=1").json
    assert (first["total_items"], first["total_pages"], first["size"], first["first_page"], first["last_page"]) == \
        (4, 2, 3, True, False)
    second = client.get("/api/openreferral/services?per_page=3&page=2").json
    assert (second["size"], second["page_number"], second["last_page"]) == (1, 2, True)
    assert not {s["id"] for s in first["contents"]} & {s["id"] for s in second["contents"]}
    beyond = client.get("/api/openreferral/services?per_page=3&page=9").json
    assert (beyond["contents"], beyond["page_number"], beyond["total_items"]) == ([], 9, 4)
    capped = client.get("/api/openreferral/services?per_page=100000").json
    assert capped["size"] == 4


def test_service_at_locations(client, listings):
    data = client.get("/api/openreferral/service_at_locations").json
    check_page(data, "compiled/service_at_location_list.json")
    assert [item["service"]["name"] for item in data["contents"]] == ["Maida Vale Befriending Scheme"]
    one = client.get(f"/api/openreferral/service_at_locations/{data['contents'][0]['id']}")
    assert one.status_code == 200
    validate(one.json, "compiled/service_at_location.json")


def test_taxonomies_and_terms(client, listings):
    taxonomies = client.get("/api/openreferral/taxonomies").json
    check_page(taxonomies, "taxonomy.json")
    taxonomy_id = taxonomies["contents"][0]["id"]
    validate(client.get(f"/api/openreferral/taxonomies/{taxonomy_id}").json, "taxonomy.json")
    terms = client.get("/api/openreferral/taxonomy_terms?per_page=5").json
    check_page(terms, "taxonomy_term.json")
    assert terms["size"] == 5 and terms["total_items"] == len(client.get(
        "/api/openreferral/taxonomy_terms?per_page=100").json["contents"])
    assert all(t["taxonomy_id"] == taxonomy_id for t in terms["contents"])
    one = client.get(f"/api/openreferral/taxonomy_terms/{terms['contents'][0]['id']}")
    validate(one.json, "taxonomy_term.json")


@pytest.mark.parametrize("url", ["/api/openreferral/services/not-a-uuid",
                                 "/api/openreferral/services/00000000-0000-4000-8000-000000000000",
                                 "/api/openreferral/service_at_locations/nope",
                                 "/api/openreferral/taxonomy_terms/nope", "/api/openreferral/taxonomies/nope"])
def test_unknown_ids_are_json_404s(client, listings, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.json["status"] == 404
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_hidden_and_unverified_records_are_not_found_by_id(app, client, listings):
    from sqlalchemy import select

    from app.directory.models import DirectoryEntry
    from app.extensions import db
    from app.openreferral.services import listed_entry

    hidden = db.session.scalar(select(DirectoryEntry).where(DirectoryEntry.name == "Hidden Club"))
    assert client.get(f"/api/openreferral/services/{listed_entry(hidden).service_id}").status_code == 404


@pytest.mark.parametrize("url", LIST_ENDPOINTS)
@pytest.mark.parametrize("query", [
    "page=0", "page=abc", "per_page=-1", "per_page=x", "page=1.5", "per_page=1e3", "page=NaN",
    # int() would take these, but they are not integers as the specification writes them
    "page=%D9%A3", "per_page=%D9%A3", "page=1_0", "per_page=1_0", "page=%2B5", "page=%205", "per_page=5%20",
    "page=%C2%B2",
    # beyond what a client reading page_number as a 32-bit integer can hold
    "page=2147483648", "page=9223372036854775808", "page=" + "9" * 5000,
])
def test_bad_paging_is_a_json_400(client, url, query):
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert set(response.json) == {"error", "status"} and response.json["status"] == 400
    assert "must be" in response.json["error"]


@pytest.mark.parametrize("url", LIST_ENDPOINTS)
def test_good_paging_edges(client, url):
    assert client.get(f"{url}?page=2147483647&per_page=100").json["page_number"] == 2147483647
    assert client.get(f"{url}?page=007").json["page_number"] == 7
    assert client.get(f"{url}?page=&per_page=").json["page_number"] == 1
    assert client.get(f"{url}?per_page=" + "9" * 5000).status_code == 200  # more than the maximum: the maximum


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_read_only(client, method):
    assert getattr(client, method)("/api/openreferral/services").status_code == 405


def test_changes_show_straight_away(app, client, listings):
    directory_entry("Brand New Club", categories=(category("befriending").slug,))
    queue.process_queue()
    assert "Brand New Club" in [s["name"] for s in client.get("/api/openreferral/services?search=brand").json["contents"]]


def test_stored_contact_details_that_are_not_valid_are_left_out(app, client):
    """Rows saved before the directory checked addresses properly must not publish bad data."""
    coffee_morning = "Carers' Coffee Morning, Chelsea"
    directory_entry(coffee_morning, districts=("SW3",), postcode="SW3 4SR", email=BAD_EMAIL,
                    website=BAD_WEBSITE, organisation_name="Chelsea Carers Group")
    directory_entry("Knit and Natter", email="Hello@Knit.Example.ORG", website="knit.example.org")
    queue.process_queue()

    page = client.get("/api/openreferral/services")
    check_page(page.json, "compiled/service_list.json")
    text = page.get_data(as_text=True) + client.get("/api/openreferral/service_at_locations").get_data(as_text=True)
    assert BAD_EMAIL not in text and "mind-in-the-west" not in text
    by_name = {s["name"]: s for s in page.json["contents"]}

    coffee = client.get(f"/api/openreferral/services/{by_name[coffee_morning]['id']}").json
    validate(coffee, "compiled/service.json")
    assert "email" not in coffee and "email" not in coffee["organization"] and "website" not in coffee["organization"]
    assert coffee["url"].startswith("http://localhost/directory/services/")  # our own page instead
    place = client.get(f"/api/openreferral/service_at_locations/{coffee['service_at_locations'][0]['id']}").json
    validate(place, "compiled/service_at_location.json")
    assert "email" not in place["service"]

    knit = client.get(f"/api/openreferral/services/{by_name['Knit and Natter']['id']}").json
    validate(knit, "compiled/service.json")
    assert (knit["email"], knit["url"]) == ("Hello@knit.example.org", "https://knit.example.org")
    assert knit["organization"]["website"] == "https://knit.example.org"


def test_the_demo_directory_is_valid_open_data(app, client):
    from app.demo import seed

    seed()
    db.session.commit()
    queue.process_queue()
    services = client.get("/api/openreferral/services?per_page=100").json
    check_page(services, "compiled/service_list.json")
    emails = [s["email"] for s in services["contents"] if "email" in s]
    assert "hello@carers-coffee-morning-chelsea.example.org" in emails
    assert "https://mind-in-the-west-peer-support.example.org" in [s["url"] for s in services["contents"]]
    for summary in services["contents"]:
        validate(client.get(f"/api/openreferral/services/{summary['id']}").json, "compiled/service.json")
    check_page(client.get("/api/openreferral/service_at_locations?per_page=100").json,
               "compiled/service_at_location_list.json")

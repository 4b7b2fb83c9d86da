"""Every money page, as the role that uses it, on the demo's books: scanned with axe-core, one
<h1>, a title no other of these pages has, and nothing scrolling sideways at 320 px. Only pages
are opened (nothing is sent), so the demo's books are left as they are."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.browser.conftest import PHONE, WIDE, no_sideways_scroll, sign_in


def _records(live_server) -> dict[str, int]:
    from app.accounts.models import User
    from app.engagements.models import Engagement
    from app.extensions import db
    from app.ledger.models import FundingStream, Receipt
    from app.payments.models import Invoice, InvoiceKind, InvoiceStatus, Payment, PaymentStatus

    with live_server.app.app_context():
        grace = db.session.scalar(select(User).where(User.email == "holder@demo.test")).budget_holder
        streams = {s.funder_label: s.id for s in db.session.scalars(select(FundingStream))}
        invoices = list(db.session.scalars(select(Invoice).where(Invoice.holder_id == grace.id)))
        waiting = next(i for i in invoices if i.status == InvoiceStatus.SUBMITTED and i.kind == InvoiceKind.PROVIDER)
        paid = next(i for i in invoices if i.status == InvoiceStatus.PAID and i.kind == InvoiceKind.PROVIDER)
        broker_invoice = next(i for i in invoices if i.kind == InvoiceKind.BROKER)
        return {
            "holder": grace.id, "council": streams["Westminster City Council"], "atw": streams["Access to Work (DWP)"],
            "waiting": waiting.id, "paid": paid.id, "agreement": waiting.agreement_id, "yusuf": waiting.organisation_id,
            "broker_invoice": broker_invoice.id,
            "receipt": db.session.scalar(select(Receipt.id).where(Receipt.stream_id == streams["Westminster City Council"])),
            "payment": db.session.scalar(select(Payment.id).where(Payment.invoice_id == paid.id,
                                                                  Payment.status == PaymentStatus.MADE)),
            "engagement": db.session.scalar(select(Engagement.id).where(Engagement.holder_id == grace.id)),
        }


def _pages(r: dict[str, int]) -> dict[str, list[str]]:
    money = f"/people/{r['holder']}/money"
    return {
        "holder@demo.test": [
            money, f"{money}/streams/{r['council']}", f"{money}/streams/{r['council']}/statement",
            f"{money}/streams/{r['council']}/statement?period=whole", f"{money}/invoices",
            f"{money}/invoices/{r['waiting']}", f"{money}/invoices/{r['paid']}", f"{money}/invoices/{r['broker_invoice']}",
            f"{money}/company", f"{money}/streams/new", f"{money}/streams/{r['atw']}/edit",
            f"{money}/streams/{r['council']}/edit", f"{money}/streams/{r['council']}/receipts/new",
            f"{money}/receipts/{r['receipt']}/reverse", f"{money}/payments/{r['payment']}/reverse",
            f"/people/{r['holder']}/agreements/{r['agreement']}/approval",
        ],
        "ada.okafor@demo.test": [money],
        "yusuf.ali@demo.test": [f"/providers/{r['yusuf']}/invoices", f"/providers/{r['yusuf']}/invoices/{r['waiting']}",
                                f"/providers/{r['yusuf']}/invoices/{r['paid']}",
                                f"/providers/{r['yusuf']}/agreements/{r['agreement']}/invoices/new",
                                f"/providers/{r['yusuf']}/invoices/{r['waiting']}/correct"],
        "broker@demo.test": ["/broker/invoices", f"/broker/invoices/{r['broker_invoice']}",
                             f"/broker/clients/{r['engagement']}/invoices/new"],
        "funder@demo.test": ["/funder", f"/funder/streams/{r['council']}", f"/funder/streams/{r['council']}/statement",
                             f"/funder/streams/{r['council']}/allocation"],
    }


@pytest.mark.parametrize("email", ["holder@demo.test", "ada.okafor@demo.test", "yusuf.ali@demo.test",
                                   "broker@demo.test", "funder@demo.test"])
def test_every_money_page_is_accessible(page, a11y, live_server, email):
    paths = _pages(_records(live_server))[email]
    sign_in(page, a11y, email)
    titles: dict[str, str] = {}
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status} as {email}"
        a11y.check(f"{path} as {email}")
        assert page.locator("h1").count() == 1, path
        title = page.title()
        if "?" not in path:
            assert title not in titles, f"{path} and {titles.get(title)} share the title {title!r}"
            titles[title] = path
        page.set_viewport_size(PHONE)
        no_sideways_scroll(page)
        page.set_viewport_size(WIDE)

"""A fake Stripe on 127.0.0.1 for the tests (stripe-mock cannot be installed here): the real
`stripe` library talks to it over HTTP (`STRIPE_API_BASE`). It keeps what it was asked in memory:
connected accounts and their onboarding links, Checkout Sessions (honouring idempotency keys as
Stripe does: the same key gives the first answer), PaymentIntents, and every request it saw.

It also serves stand-ins for Stripe's hosted pages, so a browser test can walk the journey:
`/onboarding/<account>` (finishing it enables the account, sends `account.updated` to the
webhook and goes back) and `/pay/<session>` (paying completes the session, sends
`checkout.session.completed` and goes to the success address).

Events are signed exactly as Stripe signs them: `Stripe-Signature: t=<unix time>,v1=<hex HMAC-SHA256
of "<t>.<body>" with the endpoint's secret>`.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import itertools
import json
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html import escape

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

SECRET_KEY = "sk_test_ourchoice_fake"
WEBHOOK_SECRET = "whsec_ourchoice_fake_secret"


def sign(payload: bytes | str, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    body = payload.decode() if isinstance(payload, bytes) else payload
    stamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{stamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"


def _nested(pairs) -> dict:
    """Stripe's form encoding (`line_items[0][price_data][unit_amount]=100`) back into objects."""
    root: dict = {}
    for key, value in pairs:
        parts = re.findall(r"[^\[\]]+", key)
        here = root
        for part in parts[:-1]:
            here = here.setdefault(part, {})
        here[parts[-1]] = value
    return _lists(root)


def _lists(value):
    if isinstance(value, dict):
        if value and all(k.isdigit() for k in value):
            return [_lists(value[k]) for k in sorted(value, key=int)]
        return {k: _lists(v) for k, v in value.items()}
    return value


class FakeStripe:
    def __init__(self, webhook_url: str | None = None, secret: str = WEBHOOK_SECRET, port: int = 0):
        self.webhook_url = webhook_url
        self.secret = secret
        self.accounts: dict[str, dict] = {}
        self.sessions: dict[str, dict] = {}
        self.intents: dict[str, dict] = {}
        self.requests: list[dict] = []
        self.delivered: list[tuple[dict, int]] = []
        self._answers: dict[tuple[str, str], tuple[int, dict]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._server = make_server("127.0.0.1", port, self._wsgi, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> FakeStripe:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()

    def _id(self, prefix: str) -> str:
        return f"{prefix}_fake{next(self._ids):06d}"

    # --- What tests (and the hosted pages) make happen ------------------------------------------

    def event(self, kind: str, thing: dict, *, account: str | None = None, created: int | None = None) -> dict:
        event = {"id": self._id("evt"), "object": "event", "type": kind, "created": created or int(time.time()),
                 "livemode": False, "api_version": "2026-11-17", "data": {"object": thing}}
        if account:
            event["account"] = account
        return event

    def complete(self, session_id: str, *, paid: bool = True) -> dict:
        """The person paid on Stripe's page: by card (paid at once) or by Bacs (processing)."""
        with self._lock:
            session = self.sessions[session_id]
            intent = {"id": self._id("pi"), "object": "payment_intent", "amount": session["amount_total"],
                      "currency": session["currency"], "status": "succeeded" if paid else "processing",
                      "metadata": session["metadata"], "last_payment_error": None, "latest_charge": self._id("ch")}
            self.intents[intent["id"]] = intent
            session.update(status="complete", payment_status="paid" if paid else "unpaid", payment_intent=intent["id"])
            return dict(session)

    def settle_async(self, session_id: str, *, succeeded: bool, reason: str = "The account has insufficient funds") -> dict:
        with self._lock:
            session = self.sessions[session_id]
            intent = self.intents[session["payment_intent"]]
            intent["status"] = "succeeded" if succeeded else "requires_payment_method"
            if succeeded:
                session["payment_status"] = "paid"
            else:
                intent["last_payment_error"] = {"message": reason, "code": "insufficient_funds"}
            return dict(session)

    def charge_of(self, session_id: str, *, refunded_pence: int | None = None) -> dict:
        session = self.sessions[session_id]
        intent = self.intents[session["payment_intent"]]
        amount = session["amount_total"]
        refunded = amount if refunded_pence is None else refunded_pence
        return {"id": intent["latest_charge"], "object": "charge", "amount": amount, "amount_refunded": refunded,
                "refunded": refunded >= amount, "currency": session["currency"], "payment_intent": intent["id"]}

    def new_account(self, params: dict) -> dict:
        account = {"id": self._id("acct"), "object": "account", "type": params.get("type", "express"),
                   "email": params.get("email"), "charges_enabled": False, "payouts_enabled": False,
                   "details_submitted": False, "requirements": {"disabled_reason": "requirements.past_due"},
                   "metadata": params.get("metadata", {})}
        self.accounts[account["id"]] = account
        return account

    def enable(self, account_id: str) -> dict:
        with self._lock:
            self.accounts[account_id].update(charges_enabled=True, payouts_enabled=True, details_submitted=True,
                                             requirements={"disabled_reason": None})
            return dict(self.accounts[account_id])

    def deliver(self, event: dict) -> int:
        """Send the event to the webhook, signed, as Stripe does."""
        body = json.dumps(event).encode()
        request = urllib.request.Request(self.webhook_url, data=body, method="POST", headers={  # noqa: S310
            "Content-Type": "application/json", "Stripe-Signature": sign(body, self.secret)})
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - 127.0.0.1 only
                status = answer.status
        except urllib.error.HTTPError as error:
            status = error.code
        self.delivered.append((event, status))
        return status

    def seen(self, method: str, path: str) -> list[dict]:
        return [r for r in self.requests if r["method"] == method and r["path"] == path]

    # --- The API ------------------------------------------------------------------------------

    def _wsgi(self, environ, start_response):
        request = Request(environ)
        return self._answer(request)(environ, start_response)

    def _answer(self, request: Request) -> Response:
        path = request.path
        if path.startswith(("/onboarding/", "/pay/", "/express/")):
            return self._hosted(request)
        params = _nested(list(request.form.items(multi=True)) if request.method == "POST" else
                         list(request.args.items(multi=True)))
        self.requests.append({"method": request.method, "path": path, "params": params,
                              "idempotency_key": request.headers.get("Idempotency-Key")})
        if request.headers.get("Authorization") != f"Bearer {SECRET_KEY}":
            return self._json(401, {"error": {"type": "invalid_request_error", "message": "Invalid API Key provided"}})
        key = request.headers.get("Idempotency-Key")
        if request.method == "POST" and key and (path, key) in self._answers:
            status, body = self._answers[(path, key)]
            return self._json(status, body, replayed=True)
        status, body = self._route(request.method, path, params)
        if request.method == "POST" and key:
            self._answers[(path, key)] = (status, body)
        return self._json(status, body)

    def _route(self, method: str, path: str, params: dict) -> tuple[int, dict]:
        if method == "POST" and path == "/v1/accounts":
            return 200, self.new_account(params)
        if method == "POST" and (match := re.fullmatch(r"/v1/accounts/(acct_\w+)/login_links", path)):
            if match[1] not in self.accounts:
                return self._missing("account", match[1])
            return 200, {"object": "login_link", "url": f"{self.url}/express/{match[1]}", "created": int(time.time())}
        if match := re.fullmatch(r"/v1/accounts/(acct_\w+)", path):
            return (200, self.accounts[match[1]]) if match[1] in self.accounts else self._missing("account", match[1])
        if method == "POST" and path == "/v1/account_links":
            account = params["account"]
            url = (f"{self.url}/onboarding/{account}?" +
                   urllib.parse.urlencode({"return": params["return_url"], "refresh": params["refresh_url"]}))
            return 200, {"object": "account_link", "url": url, "expires_at": int(time.time()) + 300}
        if method == "POST" and path == "/v1/checkout/sessions":
            return 200, self._new_session(params)
        if method == "POST" and (match := re.fullmatch(r"/v1/checkout/sessions/(cs_\w+)/expire", path)):
            session = self.sessions.get(match[1])
            if session is None:
                return self._missing("checkout.session", match[1])
            if session["status"] != "open":
                return 400, {"error": {"type": "invalid_request_error", "message": "Only Checkout Sessions with a "
                                       "status of `open` can be expired."}}
            session["status"] = "expired"
            return 200, session
        if match := re.fullmatch(r"/v1/checkout/sessions/(cs_\w+)", path):
            session = self.sessions.get(match[1])
            if session is None:
                return self._missing("checkout.session", match[1])
            body = dict(session)
            if "payment_intent" in (params.get("expand") or []) and body.get("payment_intent"):
                body["payment_intent"] = self.intents[body["payment_intent"]]
            return 200, body
        if match := re.fullmatch(r"/v1/payment_intents/(pi_\w+)", path):
            return (200, self.intents[match[1]]) if match[1] in self.intents else self._missing("payment_intent", match[1])
        return 404, {"error": {"type": "invalid_request_error", "message": f"Unrecognized request URL ({method}: {path})"}}

    def _new_session(self, params: dict) -> dict:
        item = params["line_items"][0]
        session_id = self._id("cs_test")
        session = {
            "id": session_id, "object": "checkout.session", "mode": params.get("mode"), "status": "open",
            "payment_status": "unpaid", "amount_total": int(item["price_data"]["unit_amount"]) * int(item["quantity"]),
            "currency": item["price_data"]["currency"], "metadata": params.get("metadata", {}),
            "client_reference_id": params.get("client_reference_id"),
            "payment_method_types": params.get("payment_method_types", ["card"]),
            "payment_intent_data": params.get("payment_intent_data", {}), "payment_intent": None,
            "success_url": params["success_url"], "cancel_url": params["cancel_url"],
            "expires_at": int(params.get("expires_at") or time.time() + 86400), "created": int(time.time()),
            "url": f"{self.url}/pay/{session_id}",
        }
        self.sessions[session_id] = session
        return session

    @staticmethod
    def _missing(kind: str, thing_id: str) -> tuple[int, dict]:
        return 404, {"error": {"type": "invalid_request_error", "code": "resource_missing",
                               "message": f"No such {kind}: '{thing_id}'"}}

    @staticmethod
    def _json(status: int, body: dict, replayed: bool = False) -> Response:
        headers = {"Request-Id": "req_fake", **({"Idempotent-Replayed": "true"} if replayed else {})}
        return Response(json.dumps(body), status=status, mimetype="application/json", headers=headers)

    # --- Stand-ins for Stripe's hosted pages ------------------------------------------------------

    def _hosted(self, request: Request) -> Response:
        if match := re.fullmatch(r"/onboarding/(acct_\w+)", request.path):
            if request.method == "POST":
                account = self.enable(match[1])
                self.deliver(self.event("account.updated", account, account=match[1]))
                return Response(status=303, headers={"Location": request.args["return"]})
            return self._page("Set up payments with Stripe (test)", f"""
                <p>Stripe test onboarding for {escape(match[1])}.</p>
                <form method="post"><button type="submit">Finish setting up</button></form>""")
        if match := re.fullmatch(r"/express/(acct_\w+)", request.path):
            return self._page("Your Stripe Express dashboard (test)", f"<p>Payouts for {escape(match[1])}.</p>")
        if match := re.fullmatch(r"/pay/(cs_\w+)", request.path):
            session = self.sessions[match[1]]
            if request.method == "POST":
                done = self.complete(match[1], paid=request.form.get("method") != "bacs_debit")
                self.deliver(self.event("checkout.session.completed", done))
                return Response(status=303, headers={
                    "Location": session["success_url"].replace("{CHECKOUT_SESSION_ID}", match[1])})
            pounds = f"£{session['amount_total'] / 100:,.2f}"
            return self._page("Pay with Stripe (test)", f"""
                <p>Pay {escape(pounds)}: {escape(session['metadata'].get('invoice_number', ''))}</p>
                <form method="post"><button type="submit" name="method" value="card">Pay {escape(pounds)}</button></form>
                <p><a href="{escape(session['cancel_url'])}">Cancel and go back</a></p>""")
        return Response("Not found", status=404)

    @staticmethod
    def _page(title: str, body: str) -> Response:
        html = f"<!doctype html><html lang='en'><head><title>{escape(title)}</title></head><body><main><h1>{escape(title)}</h1>{body}</main></body></html>"
        return Response(html, mimetype="text/html")


def main() -> None:
    """Run the fake Stripe on its own for a local trial of card payments:

        python -m tests.fake_stripe --port 12111 --webhook http://127.0.0.1:5000/payments/stripe/webhook

    then start the portal with STRIPE_API_BASE=http://127.0.0.1:12111,
    STRIPE_SECRET_KEY=sk_test_ourchoice_fake and STRIPE_WEBHOOK_SECRET=whsec_ourchoice_fake_secret."""
    import argparse

    parser = argparse.ArgumentParser(description="A fake Stripe on 127.0.0.1 for trying card payments locally.")
    parser.add_argument("--port", type=int, default=12111)
    parser.add_argument("--webhook", default="http://127.0.0.1:5000/payments/stripe/webhook",
                        help="where the portal's webhook listens")
    args = parser.parse_args()
    fake = FakeStripe(webhook_url=args.webhook, port=args.port)
    print(f"Fake Stripe at {fake.url}: STRIPE_API_BASE={fake.url} STRIPE_SECRET_KEY={SECRET_KEY} "  # noqa: T201
          f"STRIPE_WEBHOOK_SECRET={WEBHOOK_SECRET}; events go to {args.webhook}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        fake._server.serve_forever()


if __name__ == "__main__":
    main()

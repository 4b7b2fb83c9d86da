"""Configuration read from the environment.

`OURCHOICE_ENV` picks the class (development, testing, production; development when
unset). Every setting can be overridden by an environment variable of the same name; a `.env`
file in the project folder is read if present. Production refuses to start without a strong
`SECRET_KEY`.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("OURCHOICE_INSTANCE_DIR", PROJECT_ROOT / "instance"))

# Values that must never be used as a production secret.
KNOWN_WEAK_SECRETS = {"", "dev", "change-me", "changeme", "secret", "ourchoice-development-key"}


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def review_weeks(name: str = "PLAN_FIRST_REVIEW_WEEKS") -> int:
    """Weeks after support starts for a plan's first review: 6, 7 or 8 (anything else stops the app starting)."""
    weeks = env_int(name, 6)
    if weeks not in (6, 7, 8):
        raise ValueError(f"{name} must be 6, 7 or 8 (weeks after support starts), not {weeks}")
    return weeks


def normalise_database_url(url: str) -> str:
    """Let operators paste the URLs hosting platforms give (postgres://...)."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def development_secret_key() -> str:
    """A random key kept under instance/, so development sessions survive restarts."""
    path = INSTANCE_DIR / ".secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def engine_options(url: str) -> dict:
    """On PostgreSQL, psycopg prepares a statement on the server after its fifth run, and the
    server may then plan it once for any parameters: for the reports' "needs published in this
    period" that generic plan took a hub's page from 0.33 s to 0.93 s (docs/benchmarks.md). So
    statements are planned for their parameters each time (which also suits PgBouncer)."""
    options: dict = {"pool_pre_ping": True}
    if url.startswith("postgresql"):
        options["connect_args"] = {"prepare_threshold": None}
    return options


SEARCH_BACKENDS = ("whoosh", "postgresql")


def settle_search_backend(config: dict) -> None:
    """SEARCH_BACKEND as chosen, or PostgreSQL's own search on PostgreSQL and Whoosh otherwise;
    refuse a backend that cannot work with the database configured."""
    url = str(config["SQLALCHEMY_DATABASE_URI"])
    backend = (config.get("SEARCH_BACKEND") or "").strip().lower() or (
        "postgresql" if url.startswith("postgresql") else "whoosh")
    config["SEARCH_BACKEND"] = backend
    if backend not in SEARCH_BACKENDS:
        raise RuntimeError(f"SEARCH_BACKEND must be one of {', '.join(SEARCH_BACKENDS)}, not {backend!r}")
    if backend == "postgresql" and not url.startswith("postgresql"):
        raise RuntimeError("SEARCH_BACKEND=postgresql needs a PostgreSQL DATABASE_URL; use whoosh with SQLite")


class BaseConfig:
    ENV_NAME = "base"
    DEBUG = False
    TESTING = False

    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'ourchoice.sqlite3'}")
    )
    SQLALCHEMY_ENGINE_OPTIONS = engine_options(SQLALCHEMY_DATABASE_URI)
    # Where the directory's search index lives: "whoosh" (files under SEARCH_INDEX_DIR, one host)
    # or "postgresql" (a table in the database every host shares). Default: PostgreSQL's own
    # full-text search when the database is PostgreSQL, Whoosh otherwise.
    SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "").strip().lower()
    SEARCH_INDEX_DIR = os.environ.get("SEARCH_INDEX_DIR", str(INSTANCE_DIR / "search-index"))
    # Seconds a process waits for another to finish writing to the index; after that its
    # changes stay queued for the next writer (nothing is lost).
    SEARCH_WRITE_TIMEOUT = float(os.environ.get("SEARCH_WRITE_TIMEOUT", "10"))
    # Apply queued changes to the index as each request that made them ends.
    SEARCH_SYNC = env_bool("SEARCH_SYNC", True)
    # Directory suggestions (new services and corrections) one person may send.
    DIRECTORY_SUGGESTIONS_LIMIT = os.environ.get("DIRECTORY_SUGGESTIONS_LIMIT", "30 per day")
    REDIS_URL = os.environ.get("REDIS_URL", "")
    # A new support plan's first review: weeks after support starts (6 to 8; each plan may choose).
    PLAN_FIRST_REVIEW_WEEKS = review_weeks()

    # Public address used to build links in emails (never taken from the request's Host).
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/")

    # Sessions and cookies
    SESSION_COOKIE_NAME = "ourchoice_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
    SESSION_HOURS = env_int("SESSION_HOURS", 8)  # absolute: a sign-in ends this long after it started
    PERMANENT_SESSION_LIFETIME = timedelta(hours=SESSION_HOURS)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    MAX_CONTENT_LENGTH = env_int("MAX_CONTENT_LENGTH", 5 * 1024 * 1024)
    HSTS = False

    # Mail: "file" writes .eml files under MAIL_FILE_DIR; "smtp" uses the MAIL_* settings.
    MAIL_BACKEND = os.environ.get(
        "MAIL_BACKEND", "smtp" if os.environ.get("MAIL_SERVER") else "file"
    )
    MAIL_FILE_DIR = os.environ.get("MAIL_FILE_DIR", str(INSTANCE_DIR / "mail"))
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = env_int("MAIL_PORT", 587)
    MAIL_USE_TLS = env_bool("MAIL_USE_TLS", True)
    MAIL_USE_SSL = env_bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "OurChoice <no-reply@ourchoice.test>")
    # Send queued emails right after the request that queued them (development convenience);
    # production runs `flask outbox send` from a scheduler instead.
    OUTBOX_SEND_AFTER_REQUEST = env_bool("OUTBOX_SEND_AFTER_REQUEST", False)

    # Rate limits (Flask-Limiter). Redis when REDIS_URL is set, memory otherwise.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or REDIS_URL or "memory://"
    # Memory storage counts per worker process: N workers let N times the limit through. Production
    # refuses it unless this says there is only ever one worker.
    RATELIMIT_SINGLE_WORKER = env_bool("RATELIMIT_SINGLE_WORKER", False)
    RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = False
    SIGN_IN_FAILURES_PER_ACCOUNT = os.environ.get("SIGN_IN_FAILURES_PER_ACCOUNT", "5 per 15 minutes")
    SIGN_IN_FAILURES_PER_ADDRESS = os.environ.get("SIGN_IN_FAILURES_PER_ADDRESS", "20 per 15 minutes")
    EMAIL_REQUESTS_PER_ADDRESS = os.environ.get("EMAIL_REQUESTS_PER_ADDRESS", "10 per hour")
    # Number of reverse proxies in front of the app whose X-Forwarded-For can be trusted.
    TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)

    # Accounts
    PASSWORD_MIN_LENGTH = 10
    ARGON2_TIME_COST = env_int("ARGON2_TIME_COST", 3)
    ARGON2_MEMORY_COST = env_int("ARGON2_MEMORY_COST", 64 * 1024)
    PASSWORD_RESET_HOURS = 1
    EMAIL_VERIFICATION_HOURS = 48
    INVITATION_DAYS = env_int("INVITATION_DAYS", 7)

    # Brokers
    DBS_MAX_AGE_YEARS = env_int("DBS_MAX_AGE_YEARS", 3)
    EXPIRY_REMINDER_DAYS = env_int("EXPIRY_REMINDER_DAYS", 30)
    BROKER_REQUEST_WORKING_DAYS = env_int("BROKER_REQUEST_WORKING_DAYS", 5)
    DELEGATION_INVITATION_DAYS = env_int("DELEGATION_INVITATION_DAYS", 14)
    CLAIM_INVITATION_DAYS = env_int("CLAIM_INVITATION_DAYS", 30)
    # Money: warn when this share of a stream's allocation is spent (percent), and when its
    # forecast at the period's end is under the allocation by more than this (funders may take
    # back unspent money).
    MONEY_WARN_SPENT_PERCENT = env_int("MONEY_WARN_SPENT_PERCENT", 75)
    MONEY_WARN_SPENT_HIGH_PERCENT = env_int("MONEY_WARN_SPENT_HIGH_PERCENT", 90)
    MONEY_WARN_UNDERSPEND_PERCENT = env_int("MONEY_WARN_UNDERSPEND_PERCENT", 20)
    # Card payments through Stripe Connect: off (payments recorded by hand) until STRIPE_SECRET_KEY is set.
    STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
    # The webhook endpoint's signing secret(s): comma-separated when the platform's endpoint and the
    # Connect endpoint (account.updated) each have their own.
    STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
    # Where the library sends its requests (empty: Stripe itself; a fake Stripe in tests and local trials).
    STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "").rstrip("/")
    # Ways to pay offered on Stripe's page: card, and bacs_debit (Bacs Direct Debit) where the
    # platform's Stripe account has it.
    STRIPE_PAYMENT_METHODS = os.environ.get("STRIPE_PAYMENT_METHODS", "card")
    # The platform's fee on each payment, in hundredths of a percent (250 = 2.5%): none by default.
    STRIPE_PLATFORM_FEE_BASIS_POINTS = env_int("STRIPE_PLATFORM_FEE_BASIS_POINTS", 0)
    # How long a Checkout Session stays open (Stripe allows 30 minutes to 24 hours).
    STRIPE_CHECKOUT_MINUTES = env_int("STRIPE_CHECKOUT_MINUTES", 60)
    STRIPE_NETWORK_RETRIES = env_int("STRIPE_NETWORK_RETRIES", 2)
    # Seconds to wait for Stripe's answer (a request is made while the invoice's row is locked).
    STRIPE_TIMEOUT_SECONDS = env_int("STRIPE_TIMEOUT_SECONDS", 10)
    DEMO_DATA_ALLOWED = True
    DISPLAY_TIMEZONE = "Europe/London"


class DevelopmentConfig(BaseConfig):
    ENV_NAME = "development"
    OUTBOX_SEND_AFTER_REQUEST = env_bool("OUTBOX_SEND_AFTER_REQUEST", True)

    @property
    def SECRET_KEY(self) -> str:  # noqa: N802 - Flask setting name
        return os.environ.get("SECRET_KEY") or development_secret_key()


class TestingConfig(BaseConfig):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-only-" + "x" * 32
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    # Cheap hashing keeps the suite fast; production uses the defaults above.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 256
    RATELIMIT_STORAGE_URI = "memory://"
    OUTBOX_SEND_AFTER_REQUEST = False
    PUBLIC_BASE_URL = "http://localhost"


class ProductionConfig(BaseConfig):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    HSTS = True
    DEMO_DATA_ALLOWED = False
    SECRET_KEY = os.environ.get("SECRET_KEY", "")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_environment() -> type[BaseConfig]:
    name = os.environ.get("OURCHOICE_ENV", "development").strip().lower()
    if name not in CONFIGS:
        raise RuntimeError(f"OURCHOICE_ENV must be one of {sorted(CONFIGS)}, not {name!r}")
    return CONFIGS[name]


def check_production_settings(config: dict) -> None:
    """Refuse to start a production app that would be unsafe."""
    key = config.get("SECRET_KEY") or ""
    if key.strip().lower() in KNOWN_WEAK_SECRETS or len(key) < 32:
        raise RuntimeError(
            "SECRET_KEY must be set to a long random value (at least 32 characters) in "
            "production. Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    storage = (config.get("RATELIMIT_STORAGE_URI") or "memory://").strip().lower()
    if config.get("RATELIMIT_ENABLED", True) and storage.startswith("memory") and not config.get(
            "RATELIMIT_SINGLE_WORKER"):
        raise RuntimeError(
            "Sign-in limits need storage shared by every worker in production: set REDIS_URL (or "
            "RATELIMIT_STORAGE_URI). With in-memory counting each gunicorn worker counts on its own, so four "
            "workers let four times as many wrong passwords through. If this server only ever runs one "
            "worker process, set RATELIMIT_SINGLE_WORKER=true instead."
        )

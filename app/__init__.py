"""OurChoice: a user-led brokerage portal for self-directed social care.

`create_app` builds the Flask application; `wsgi.py` calls it for gunicorn.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from flask import Flask

from app.config import (
    PROJECT_ROOT,
    BaseConfig,
    check_production_settings,
    config_from_environment,
    settle_search_backend,
)


def create_app(config: type[BaseConfig] | dict[str, Any] | None = None) -> Flask:
    """Build the app. `config` is a config class, or a dict of overrides on top of the class
    chosen by OURCHOICE_ENV (testing code passes a dict)."""
    _load_dotenv()
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_relative_config=True,
    )
    config_class = config if isinstance(config, type) else config_from_environment()
    app.config.from_object(config_class())
    if isinstance(config, dict):
        app.config.update(config)
    settle_search_backend(app.config)
    if app.config["ENV_NAME"] == "production":
        check_production_settings(app.config)

    configure_logging(app)
    register_proxy_fix(app)
    register_extensions(app)
    register_templates(app)
    register_input_checks(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_request_hooks(app)  # after the blueprints: teardowns run in reverse, so the outbox and the
    # rollback-on-error run before the search queue that register_blueprints set up
    register_commands(app)
    return app


def _load_dotenv() -> None:
    env_file = PROJECT_ROOT / ".env"
    if env_file.exists():
        from dotenv import load_dotenv

        load_dotenv(env_file, override=False)


def configure_logging(app: Flask) -> None:
    if not app.debug and not app.testing:
        level = os.environ.get("LOG_LEVEL", "INFO").upper()
        logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def register_proxy_fix(app: Flask) -> None:
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=0)  # type: ignore[method-assign]


def register_extensions(app: Flask) -> None:
    from app import models  # noqa: F401 - every model, before anything queries
    from app.accounts.session import configure_login
    from app.extensions import csrf, db, limiter, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    configure_login(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _configure_sqlite(app)


def _configure_sqlite(app: Flask) -> None:
    from sqlalchemy import event

    from app.extensions import db

    with app.app_context():
        engine = db.engine

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()


def register_templates(app: Flask) -> None:
    from app.core.templating import configure_templates

    configure_templates(app)


def register_input_checks(app: Flask) -> None:
    """The `int` route converter (before any rule is added) and the NUL check on every request."""
    from app.core.input_checks import register, register_converters

    register_converters(app)
    register(app)


def register_blueprints(app: Flask) -> None:
    from app.accounts.views import bp as accounts_bp
    from app.admin.views import bp as admin_bp
    from app.brokers.views import bp as brokers_bp
    from app.core.views import bp as core_bp
    from app.directory.views import bp as directory_bp
    from app.engagements.views import bp as engagements_bp
    from app.holders.views import bp as holders_bp
    from app.home import bp as home_bp
    from app.hubs.views import bp as hubs_bp
    from app.invitations.views import bp as invitations_bp
    from app.ledger.views import bp as ledger_bp
    from app.money.views import bp as money_bp
    from app.needs.views import bp as needs_bp
    from app.openreferral.views import bp as openreferral_bp
    from app.payments.views import bp as payments_bp
    from app.plans.views import bp as plans_bp
    from app.providers.views import bp as providers_bp
    from app.reports import bp as reports_bp

    for blueprint in (core_bp, accounts_bp, invitations_bp, admin_bp, hubs_bp, brokers_bp, engagements_bp, holders_bp,
                      providers_bp, needs_bp, directory_bp, ledger_bp, payments_bp, plans_bp, money_bp, reports_bp,
                      openreferral_bp, home_bp):
        app.register_blueprint(blueprint)
    register_feature_hooks()
    from app.search.queue import register as register_search

    register_search(app)


# Modules in which a feature subscribes to lower features' signals or registers into their
# registries (search documents, account kinds, invitation kinds...). Each is imported once.
FEATURE_HOOK_MODULES = ("subscribers", "registration", "invitation_kinds", "search_documents")


def register_feature_hooks() -> None:
    import importlib
    import importlib.util

    for package in sorted(p.name for p in (PROJECT_ROOT / "app").iterdir() if (p / "__init__.py").exists()):
        for name in FEATURE_HOOK_MODULES:
            module = f"app.{package}.{name}"
            if importlib.util.find_spec(module) is not None:
                importlib.import_module(module)


def register_errorhandlers(app: Flask) -> None:
    from app.core.error_pages import register

    register(app)


def register_request_hooks(app: Flask) -> None:
    from app.core.hooks import register

    register(app)


def register_commands(app: Flask) -> None:
    from app.cli import register

    register(app)

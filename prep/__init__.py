"""CMAA Prep: exam preparation and credential upkeep for medical administrative assistants."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from prep.config import load_config


def create_app(config: dict | None = None) -> Flask:
    """Build the application: configuration, then one `register_*` step per concern."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(load_config(Path(app.instance_path)))
    if config:
        app.config.update(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    for step in (
        register_extensions,
        register_database_events,
        register_security,
        register_blueprints,
        register_cli,
        register_error_handlers,
        register_templates,
        register_proxy,
    ):
        step(app)
    return app


def register_extensions(app: Flask) -> None:
    import prep.models  # noqa: F401  (registers every table on the metadata)
    from prep.extensions import csrf, db, limiter, login_manager, mail, migrate

    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"), render_as_batch=True
    )
    csrf.init_app(app)
    mail.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    from prep.auth import session

    session.configure(login_manager)


def register_database_events(app: Flask) -> None:
    from prep.db import configure_engine_events

    configure_engine_events(app)


def register_security(app: Flask) -> None:
    from prep.security import register_security as register

    register(app)


def register_blueprints(app: Flask) -> None:
    from prep.api import bp as api_bp
    from prep.auth.routes import bp as auth_bp
    from prep.ce.routes import bp as ce_bp
    from prep.dashboard.routes import bp as dashboard_bp
    from prep.instructor.learner_routes import bp as cohorts_bp
    from prep.instructor.routes import bp as instructor_bp
    from prep.office.routes import bp as office_bp
    from prep.quiz.routes import bp as quiz_bp
    from prep.reminders.calendar_routes import bp as calendar_bp
    from prep.reminders.routes import bp as reminders_bp
    from prep.reports.routes import bp as reports_bp
    from prep.review.routes import bp as review_bp

    for bp in (
        dashboard_bp,
        auth_bp,
        api_bp,
        quiz_bp,
        ce_bp,
        review_bp,
        reports_bp,
        instructor_bp,
        cohorts_bp,
        office_bp,
        calendar_bp,
        reminders_bp,
    ):
        app.register_blueprint(bp)


def register_cli(app: Flask) -> None:
    from prep.auth.cli import users_cli
    from prep.bank.cli import bank_cli
    from prep.office.cli import offices_cli
    from prep.ops import backup_command
    from prep.reminders.cli import reminders_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(bank_cli)
    app.cli.add_command(offices_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(reminders_cli)


def register_error_handlers(app: Flask) -> None:
    from prep.errors import register_error_handlers as register

    register(app)


def register_templates(app: Flask) -> None:
    from prep.templating import register_template_helpers

    register_template_helpers(app)


def register_proxy(app: Flask) -> None:
    hops = app.config.get("TRUSTED_PROXIES", 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

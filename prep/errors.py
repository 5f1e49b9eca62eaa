"""Error pages, and the same errors as JSON under /api/."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from prep.extensions import db

MESSAGES = {
    400: "The request could not be understood. Check what you entered and try again.",
    401: "You need to log in to do that.",
    403: "You do not have permission to see this page.",
    404: "We could not find that page.",
    405: "That action is not allowed here.",
    409: "That change conflicts with the current state.",
    413: "The file or request is too large.",
    422: "Some of what you entered needs to be corrected.",
    429: "Too many attempts. Wait a minute and try again.",
    500: "Something went wrong on our side. Nothing you saved has been lost; try again shortly.",
    503: "The service is briefly unavailable. Try again in a moment.",
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, code: str, message: str, fields: dict | None = None):
    """A JSON error under /api/ ({"error": {"code", "message", "fields"?}}), a page elsewhere."""
    if wants_json():
        body = {"code": code, "message": message}
        if fields:
            body["fields"] = fields
        return jsonify(error=body), status
    return render_template("errors/error.html", status=status, message=message), status


def _code_name(exc: HTTPException) -> str:
    return (exc.name or "error").lower().replace(" ", "_").replace("'", "")


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        status = exc.code or 500
        message = MESSAGES.get(status, exc.description or "Error")
        if status in (400, 409, 422) and exc.description and exc.description != type(exc).description:
            message = exc.description
        response = error_response(status, _code_name(exc), message)
        if status == 405 and hasattr(exc, "valid_methods") and exc.valid_methods:
            resp = app.make_response(response)
            resp.headers["Allow"] = ", ".join(exc.valid_methods)
            return resp
        return response

    @app.errorhandler(DBAPIError)
    def _database_unavailable(exc: DBAPIError):
        db.session.rollback()
        if not _is_connection_error(exc):
            return _unexpected(exc)
        app.logger.warning("database unavailable: %s", exc.orig)
        response = app.make_response(error_response(503, "service_unavailable", MESSAGES[503]))
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error")
        return error_response(500, "internal_server_error", MESSAGES[500])


def _is_connection_error(exc: DBAPIError) -> bool:
    """A lost or refused database connection (as opposed to a bug in a query)."""
    if exc.connection_invalidated or isinstance(exc, OperationalError):
        text = str(exc.orig).lower()
        return exc.connection_invalidated or any(
            s in text
            for s in ("connection", "could not connect", "server closed", "terminating", "unable to open", "locked")
        )
    return False

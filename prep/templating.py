"""Template globals and filters."""

from flask import Flask

from prep.auth.forms import ActionForm


def register_template_helpers(app: Flask) -> None:
    @app.context_processor
    def _globals():
        return {"logout_form": ActionForm}

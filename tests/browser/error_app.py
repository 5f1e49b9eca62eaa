"""The real app plus two routes that fail with 403 and 500, for the error-page tests only.

No page of the app can lead to a 403 or a 500 yet, so the second live server serves this
module to show those pages as a browser receives them from the real error handlers.
"""

from flask import abort

from prep import create_app

app = create_app()


@app.get("/_test/forbidden")
def forbidden():
    abort(403)


@app.get("/_test/crash")
def crash():
    raise RuntimeError("a deliberate error for the browser test of the 500 page")

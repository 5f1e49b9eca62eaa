"""Signed unsubscribe links: they work without logging in, and only stop reminder emails.

The token is the user's id signed with the app's secret key (its own salt, so no other signed
value can be replayed here). It does not expire: a link in an old email must still work.
"""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer

_SALT = "reminders-unsubscribe"


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=_SALT)


def unsubscribe_token(secret_key: str, user_id: int) -> str:
    return _serializer(secret_key).dumps({"u": user_id})


def user_id_from_unsubscribe_token(secret_key: str, token: str) -> int | None:
    """The user id a token was made for; None when it is forged, altered or malformed."""
    try:
        data = _serializer(secret_key).loads(token)
    except BadSignature:
        return None
    user_id = data.get("u") if isinstance(data, dict) else None
    return user_id if isinstance(user_id, int) and not isinstance(user_id, bool) else None

"""The password policy as a table of cases."""

import pytest

from prep.auth.passwords import common_passwords
from prep.core.passwords import password_problem

COMMON = common_passwords()


@pytest.mark.parametrize(
    "password,refused_because",
    [
        ("short", "at least 12"),
        ("elevenchars", "at least 12"),
        ("passwordpassword", "too common"),
        ("PASSWORDPASSWORD", "too common"),
        ("aaaaaaaaaaaaaaa", "too common"),
        ("abcdefghijklmn", "too common"),
        ("qwerty123456", "too common"),
        ("password2024!", "too common"),
        ("!!monkey12345", "too common"),
        ("abcabcabcabc", "too common"),
        ("123456789012"[:10] + "ab", None),
        ("correct horse battery", None),
        ("sunny day at the clinic", None),
        ("alllowercaseletters", None),
        ("ana@example.com", "email address or name"),
    ],
)
def test_password_policy(password, refused_because):
    problem = password_problem(password, COMMON, email="ana@example.com", name="Ana Lima")
    if refused_because is None:
        assert problem is None
    else:
        assert refused_because in problem


def test_the_shipped_list_is_loaded():
    assert len(COMMON) > 15000
    assert "password" in COMMON

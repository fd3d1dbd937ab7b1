"""Password hashes: salted per hash, verified in constant time, bounded in length."""

from flexhub.identity import passwords


def test_a_password_verifies_against_its_own_hash_only() -> None:
    stored = passwords.hash_password("correct horse battery")

    assert passwords.verify_password("correct horse battery", stored)
    assert not passwords.verify_password("correct horse batterY", stored)
    assert not passwords.verify_password("", stored)


def test_each_hash_has_its_own_salt_and_never_holds_the_password() -> None:
    first, second = passwords.hash_password("same password!"), passwords.hash_password("same password!")

    assert first != second
    assert first.startswith(f"scrypt${passwords.N}${passwords.R}${passwords.P}$")
    assert "same password!" not in first


def test_a_stored_value_that_is_not_an_scrypt_hash_verifies_nothing() -> None:
    for stored in ["", "plain", "bcrypt$x$y$z$a$b", "scrypt$16384$8$1$@@$@@"]:
        assert not passwords.verify_password("anything at all", stored)


def test_short_and_huge_passwords_are_refused_with_a_reason() -> None:
    assert passwords.password_problem("short") == "a password has at least 10 characters"
    assert passwords.password_problem("x" * 257) == "a password has at most 256 characters"
    assert passwords.password_problem("long enough now") is None

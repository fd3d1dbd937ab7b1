"""Password hashes: Argon2id, salted per hash, bounded in length; old scrypt hashes verify and are replaced."""

from flexhub.identity import passwords
from flexhub.testing.builders import scrypt_hash


def test_a_password_verifies_against_its_own_hash_only() -> None:
    stored = passwords.hash_password("correct horse battery")

    assert passwords.verify_password("correct horse battery", stored)
    assert not passwords.verify_password("correct horse batterY", stored)
    assert not passwords.verify_password("", stored)


def test_each_hash_has_its_own_salt_and_never_holds_the_password() -> None:
    first, second = passwords.hash_password("same password!"), passwords.hash_password("same password!")

    assert first != second
    assert first.startswith("$argon2id$")
    assert "same password!" not in first


def test_a_stored_value_that_is_not_a_hash_verifies_nothing() -> None:
    for stored in ["", "plain", "bcrypt$x$y$z$a$b", "scrypt$16384$8$1$@@$@@", "$argon2id$v=19$garbage"]:
        assert passwords.verify_and_update("anything at all", stored) == (False, None)


def test_an_old_scrypt_hash_still_verifies_and_is_answered_with_an_argon2id_one() -> None:
    stored = scrypt_hash("correct horse battery")

    matches, replacement = passwords.verify_and_update("correct horse battery", stored)

    assert matches and replacement is not None and replacement.startswith("$argon2id$")
    assert passwords.verify_and_update("correct horse battery", replacement) == (True, None)
    assert passwords.verify_and_update("wrong horse battery", stored) == (False, None)


def test_short_and_huge_passwords_are_refused_with_a_reason() -> None:
    assert passwords.password_problem("short") == "a password has at least 10 characters"
    assert passwords.password_problem("x" * 257) == "a password has at most 256 characters"
    assert passwords.password_problem("long enough now") is None

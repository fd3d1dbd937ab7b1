"""Signing a person in with a login and a password, and the lock that repeated failures put on an account.

Five wrong passwords in a row lock the account for fifteen minutes; while locked even the right password is
refused, and the counter starts again once the lock ends; a wrong current password given to change it counts the
same. An unknown login costs the same Argon2id work as a wrong password and gets the same answer, so neither
the timing nor the message tells whether a login exists.
"""

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.identity import audit, passwords, repository
from flexhub.identity.commands import SignInUser, UserSignedIn
from flexhub.identity.errors import InvalidCredentials
from flexhub.identity.handlers import normal_login
from flexhub.kernel import clock
from flexhub.kernel.messages import Actor

MAX_FAILURES = 5
LOCKED_FOR = timedelta(minutes=15)
REFUSED = "that login and password do not match an account that may sign in now"


def sign_in_user(cmd: SignInUser, uow_factory: UnitOfWorkFactory) -> UserSignedIn:
    """The signed-in user's id and actor; InvalidCredentials, alike for every refusal, otherwise."""
    login = normal_login(cmd.login)
    with uow_factory(write=False) as uow:
        user = repository.user_by_login(uow.connection, login)
    matches, rehashed = passwords.verify_and_update(cmd.password[:passwords.MAX_LENGTH],
                                                    user.password_hash if user else passwords.decoy_hash())
    now = clock.now()
    if user is None or user.disabled_at is not None or is_locked(user.locked_until, now):
        raise InvalidCredentials(REFUSED)
    with uow_factory() as uow:
        if not matches:
            count_failure(uow, user, now, cmd.request_id)
            uow.commit()
            raise InvalidCredentials(REFUSED)
        repository.record_sign_in(uow.connection, user.id, now, rehashed)  # an out-of-date hash replaced, now known
        actor = user_actor(user, cmd.request_id)
        audit.record(uow, actor, audit.Audited("user.sign_in", "user", user.id))
        uow.commit()
    return UserSignedIn(user_id=user.id, actor=actor)


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and clock.as_utc(locked_until) > now


def user_actor(user: Any, request_id: str | None = None) -> Actor:
    return Actor(tenant_id=user.tenant_id, partner_id=user.partner_id, role=user.role, name=f"user:{user.login}",
                 request_id=request_id)


def signed_in_actor(connection: Connection, user_id: uuid.UUID, request_id: str | None = None) -> Actor | None:
    """The actor of a signed-in session's user, or None once the user is disabled or gone."""
    user = repository.user_by_id(connection, user_id)
    if user is None or user.disabled_at is not None:
        return None
    return user_actor(user, request_id)


def count_failure(uow: Any, user: Any, now: datetime, request_id: str | None) -> None:
    """One more failure, counted in the row (concurrent guesses all count); the fifth locks the account."""
    failures = repository.count_sign_in_failure(uow.connection, user.id)
    if failures >= MAX_FAILURES:
        repository.lock_user(uow.connection, user.id, now + LOCKED_FOR)
        audit.record(uow, user_actor(user, request_id), audit.Audited(
            "user.lock", "user", user.id, {"failures": failures, "until": (now + LOCKED_FOR).isoformat()}))

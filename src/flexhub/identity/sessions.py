"""Dashboard sessions kept on the server; an admin revoking a user's, and a password change revoking the others.

Signing in makes a random id of 256 bits; the browser's cookie holds it and the `sessions` row only its SHA-256,
so a copy of the table signs nobody in. Each page looks the id up: a session revoked (signed out, by an admin, by
a password change), idle past `idle_s`, or older than `absolute_s` signs nobody in, nor does one whose user was
disabled or whose key was revoked since it began."""

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection

from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.identity import audit, passwords, queries, repository
from flexhub.identity.authenticate import key_actor
from flexhub.identity.commands import ChangePassword, PasswordChanged, RevokeSessions, SessionsRevoked
from flexhub.identity.errors import RoleForbidden, UnknownUser, WeakPassword, WrongPassword
from flexhub.identity.signin import count_failure, is_locked, signed_in_actor, user_actor
from flexhub.kernel import clock
from flexhub.kernel.messages import Actor

TOUCH_EVERY_S = 60.0  # last seen written at most this often: the live figures poll every few seconds


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A live session: who it acts as, and the user or the key it was started with."""

    actor: Actor
    user_id: uuid.UUID | None
    api_key_id: uuid.UUID | None
    time_zone: str | None = None  # the tenant's, read with the session: every page shows times in it


class Sessions:
    def __init__(self, uow_factory: UnitOfWorkFactory, *, idle_s: float, absolute_s: float) -> None:
        self._uow = uow_factory
        self.idle, self.absolute = timedelta(seconds=idle_s), timedelta(seconds=absolute_s)
        self._touch_every = timedelta(seconds=min(TOUCH_EVERY_S, idle_s / 4))

    def start(self, *, tenant_id: uuid.UUID, user_id: uuid.UUID | None = None,
              api_key_id: uuid.UUID | None = None) -> str:
        """A new session for a user or a key; its id (for the cookie), which is kept nowhere but there."""
        token, now = secrets.token_urlsafe(32), clock.now()
        with self._uow() as uow:
            repository.delete_lapsed_sessions(uow.connection, now)
            repository.insert_session(uow.connection, {
                "token_hash": hash_token(token), "tenant_id": tenant_id, "user_id": user_id,
                "api_key_id": api_key_id, "created_at": now, "last_seen_at": now, "expires_at": now + self.absolute})
            uow.commit()
        return token

    def signed_in(self, token: str, request_id: str | None = None) -> SignedIn | None:
        """The live session this id names, or None when it signs nobody in (any more)."""
        now = clock.now()
        with self._uow(write=False) as uow:
            row = queries.live_session(uow.connection, hash_token(token), now, now - self.idle)
            actor = _actor(uow.connection, row, request_id) if row else None
            zone = queries.tenant_time_zone(uow.connection, actor.tenant_id) if actor else None
        if actor is not None and now - row.last_seen_at >= self._touch_every:
            with self._uow() as uow:
                repository.touch_session(uow.connection, row.id, now)
                uow.commit()
        return SignedIn(actor, row.user_id, row.api_key_id, zone) if actor is not None else None

    def end(self, token: str, request_id: str | None = None) -> None:
        """Signing out: the session is revoked, so a copy of its cookie signs nobody in either."""
        with self._uow() as uow:
            ended = repository.revoke_session(uow.connection, hash_token(token), clock.now())
            actor = _actor(uow.connection, ended, request_id) if ended else None
            if actor is not None and ended.user_id is not None:
                audit.record(uow, actor, audit.Audited("user.sign_out", "user", ended.user_id))
            uow.commit()


def _actor(connection: Connection, row: Any, request_id: str | None) -> Actor | None:
    if row.user_id is not None:
        return signed_in_actor(connection, row.user_id, request_id)
    key = queries.live_api_key(connection, row.api_key_id)
    return key_actor(key, request_id) if key is not None else None


def revoke_sessions(cmd: RevokeSessions, uow_factory: UnitOfWorkFactory) -> SessionsRevoked:
    """Every live session of a user of the admin's tenant revoked: each of its browsers is signed out."""
    with uow_factory() as uow:
        user = queries.user_in_tenant(uow.connection, cmd.actor.tenant_id, user_id=_user_id(cmd.user_id))
        revoked = repository.revoke_user_sessions(uow.connection, user.id, clock.now())
        audit.record(uow, cmd.actor, audit.Audited("user.sessions_revoke", "user", user.id, {"revoked": revoked}))
        uow.commit()
    return SessionsRevoked(user_id=user.id, login=user.login, revoked=revoked)


def change_password(cmd: ChangePassword, uow_factory: UnitOfWorkFactory) -> PasswordChanged:
    """The user's own password replaced once the current one is given; every other session of theirs revoked."""
    if problem := passwords.password_problem(cmd.new_password):
        raise WeakPassword(problem)
    with uow_factory(write=False) as uow:
        user = queries.user_in_tenant(uow.connection, cmd.actor.tenant_id, user_id=_user_id(cmd.user_id))
    if cmd.actor.name != user_actor(user).name:
        raise RoleForbidden("a password is changed by its own user")
    now = clock.now()
    matches = passwords.verify_password(cmd.current_password[:passwords.MAX_LENGTH], user.password_hash)
    new_hash = passwords.hash_password(cmd.new_password) if matches else ""  # slow: before the transaction
    with uow_factory() as uow:
        if not matches or is_locked(user.locked_until, now):
            count_failure(uow, user, now, cmd.actor.request_id)
            uow.commit()
            raise WrongPassword("the current password is not right (or the account is locked for a while)")
        repository.set_password_hash(uow.connection, user.id, new_hash)
        kept = hash_token(cmd.keep_session) if cmd.keep_session else None
        revoked = repository.revoke_user_sessions(uow.connection, user.id, now, keep_hash=kept)
        audit.record(uow, cmd.actor, audit.Audited("user.password_change", "user", user.id,
                                                   {"sessions_revoked": revoked}))
        uow.commit()
    return PasswordChanged(user_id=user.id, sessions_revoked=revoked)


def _user_id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError as error:
        raise UnknownUser(f"no user {text} here") from error

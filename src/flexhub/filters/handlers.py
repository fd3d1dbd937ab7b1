"""Saved filter handlers: a filter kept (checked whole before anything is written) and one deleted by its owner;
both audited."""

from sqlalchemy.exc import IntegrityError

from flexhub import identity
from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.filters import queries, repository
from flexhub.filters.commands import DeleteFilter, FilterDeleted, FilterSaved, SaveFilter
from flexhub.filters.errors import FilterNameTaken, InvalidFilter, NotYourFilter
from flexhub.filters.rules import MAX_PER_LIST, checked_name, checked_query
from flexhub.identity import audit
from flexhub.kernel import clock
from flexhub.kernel.ids import new_id


def save_filter(cmd: SaveFilter, uow_factory: UnitOfWorkFactory) -> FilterSaved:
    """422 for a bad name, list or filter; 403 for a phone from a role that may not see phones; 409 when the
    owner already named a filter of that list so; nothing written then."""
    actor, name = cmd.actor, checked_name(cmd.name)
    query = checked_query(cmd.list_name, cmd.query, shared=cmd.shared,
                          sees_phones=identity.may(actor.role, "personal_data.read"))
    saved = FilterSaved(new_id(), cmd.list_name, name, query, cmd.shared)
    with uow_factory() as uow:
        if repository.name_taken(uow.connection, actor.tenant_id, actor.name, cmd.list_name, name):
            raise FilterNameTaken(f"you already saved a filter of this list named {name!r}", name=name)
        if repository.count_kept(uow.connection, actor.tenant_id, actor.name, cmd.list_name) >= MAX_PER_LIST:
            raise InvalidFilter(f"at most {MAX_PER_LIST} saved filters per list: delete one first",
                                field="name", limit=MAX_PER_LIST)
        try:
            repository.insert_filter(uow.connection, {
                "id": saved.id, "tenant_id": actor.tenant_id, "partner_id": actor.partner_id, "owner": actor.name,
                "list_name": cmd.list_name, "name": name, "query": query, "shared": cmd.shared,
                "created_at": clock.now()})
        except IntegrityError as error:  # the same name saved a moment ago by another request of the owner
            raise FilterNameTaken(f"you already saved a filter of this list named {name!r}", name=name) from error
        audit.record(uow, actor, audit.Audited("saved_filter.save", "saved_filter", saved.id, {
            "list": cmd.list_name, "name": name, "shared": cmd.shared}))
        uow.commit()
    return saved


def delete_filter(cmd: DeleteFilter, uow_factory: UnitOfWorkFactory) -> FilterDeleted:
    """404 for a filter the actor does not see (another tenant's, another person's unshared one); 403 for one
    shared with it by someone else."""
    with uow_factory() as uow:
        found = queries.saved_filter(uow.connection, cmd.actor, cmd.filter_id)
        if not found["mine"]:
            raise NotYourFilter("only the person who saved this filter may delete it")
        repository.delete_filter(uow.connection, cmd.actor.tenant_id, cmd.filter_id)
        audit.record(uow, cmd.actor, audit.Audited("saved_filter.delete", "saved_filter", cmd.filter_id, {
            "list": found["list"], "name": found["name"]}))
        uow.commit()
    return FilterDeleted(cmd.filter_id)

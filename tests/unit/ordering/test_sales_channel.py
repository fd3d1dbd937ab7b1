"""What ordering reads of a sales channel (ordering.model.SalesChannel, so that ordering need not import channels) is
the table channels declares: each column there, with the same type on SQLite and PostgreSQL."""

import pytest
from sqlalchemy.dialects import postgresql, sqlite

from flexhub.channels.model import Channel
from flexhub.db import models  # every table, so a foreign key's column takes the type of what it refers to
from flexhub.ordering.model import SalesChannel


def test_it_reads_the_channels_table() -> None:
    assert models.Base.metadata.tables["channels"] is Channel.__table__
    assert SalesChannel.name == Channel.__tablename__


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()], ids=["sqlite", "postgresql"])
def test_each_column_is_the_tables_with_its_type(dialect: object) -> None:
    table = Channel.__table__.c
    assert {c.name for c in SalesChannel.c} <= {c.name for c in table}
    for column in SalesChannel.c:
        declared = table[column.name].type
        assert column.type.compile(dialect=dialect) == declared.compile(dialect=dialect), column.name
        assert column.type.python_type == declared.python_type, column.name

"""The writer's read finds known orders through orders' unique (external_id, channel_id) index in the plan PostgreSQL
caches for it, even one made while `orders` was young and never analyzed: a plan through orders' (channel_id,
created_at) index filtered a channel's every order for each key (session 11), and the read was re-planned on every
call to avoid it."""

from typing import Any

import psycopg
import pytest

from flexhub.db.migrate import upgrade
from flexhub.ordering.writer import sql
from flexhub.ordering.writer.reads import array_text
from flexhub.testing.builders import create_shop, import_command, line
from flexhub.testing.database import scratch_postgres_database, worker_database_name
from flexhub.testing.hubs import running_hub

pytestmark = pytest.mark.postgres


def generic_plan(url: str, statement: str, params: Any) -> str:
    """EXPLAIN of the plan PostgreSQL would cache for the prepared statement."""
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute("SET plan_cache_mode = force_generic_plan")
        rows = connection.execute("EXPLAIN " + statement, params, prepare=True).fetchall()
    return "\n".join(row[0] for row in rows)


def test_the_known_orders_probe_keeps_the_unique_index_on_a_young_table(postgres_server: str) -> None:
    name = worker_database_name("flexhub_probe_plan")
    with scratch_postgres_database(postgres_server, name, durable=False) as url:
        upgrade(url)
        with running_hub(url, combine=True) as hub:
            admin = create_shop(hub, stock=1000)
            for batch in range(7):  # 448 orders of one channel, the table never analyzed (as in a bench's first
                hub.writer.import_many([  # seconds, or a new shop's first sales)
                    import_command(admin, external_id=f"YOUNG-{batch}-{n}", lines=[line(quantity=1)])
                    for n in range(64)])
        wanted = [f"YOUNG-3-{n}" for n in range(64)]

        plan = generic_plan(url, sql.READ, {
            "tenant": admin.tenant_id, "channels": array_text(["web"]), "skus": array_text(["TEE-RED-M"]),
            "channel_of": array_text(["web"] * 64), "external_ids": array_text(wanted)})

    assert "uq_orders_external_id_channel_id" in plan
    assert "ix_orders_channel_created" not in plan

"""Settings from the environment (prefix FLEXHUB_) or a .env file."""

import logging
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FLEXHUB_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./var/flexhub.db"
    # Request bodies past this size are refused with 413 before they are parsed.
    max_body_bytes: int = 1_000_000
    # The reservation combiner gathers concurrent imports for this long before one transaction.
    combiner_enabled: bool = True
    combiner_max_wait_ms: float = 1.0
    combiner_max_batch: int = 256
    # Combined batches the order writer writes at once (one connection each): Python prepares one while
    # the database commits another.
    writer_in_flight: int = 2
    # ...the second only once this many orders wait: with two API processes on one hot row, a second batch each of
    # the few left meant batches of 10 at 0.35 ms of PostgreSQL's CPU an order, where one of 25 cost 0.2 (bench http).
    writer_second_batch_min: int = 32
    # The connection pool (PostgreSQL): callers past size + overflow wait up to the time-out, first come
    # first served; per-order imports use at most `db_pool_size` connections, the rest is left to the others.
    db_pool_size: int = 20
    db_max_overflow: int = 20
    db_pool_timeout_s: float = 30.0
    # How often the outbox relay and the expiry job look for work.
    relay_interval_s: float = 0.2
    expiry_interval_s: float = 5.0
    backorder_interval_s: float = 2.0
    routing_interval_s: float = 1.0  # the routing job also wakes as soon as an order is received or reserved
    push_interval_s: float = 0.5
    # How often the import of kept channel messages looks for them when nothing woke it: a keep wakes it at once in
    # its own process and, on PostgreSQL, in any other (NOTIFY).
    inbound_interval_s: float = 1.0
    # A singleton schedule's lease (renewed every third of it): how soon another process takes over from one
    # that died. A queued job's lease: how soon a job a dead worker held is run again (longer than any try).
    lease_s: float = 15.0
    job_lease_s: float = 60.0
    # Reading every channel's stock back to correct drift: how often (a channel's settings may say
    # otherwise with reconcile_every_s; 0 turns it off), and how often the job looks for channels due.
    reconcile_interval_s: float = 900.0
    reconcile_check_s: float = 10.0
    # Quotas marked `rebalance` (live rooms, campaigns) shared out again by sell-through: how often, and over how
    # long a window each listing's sales are counted.
    rebalance_interval_s: float = 60.0
    rebalance_window_s: float = 600.0
    # Each tenant that has trained the learned forecast has it trained again this many days after its last run
    # (0 turns the schedule off); the job looks for tenants due every forecast_retrain_check_s.
    forecast_retrain_days: float = 7.0
    forecast_retrain_check_s: float = 600.0
    # A shared listing holds back what its SKU is likely to sell in its channel's round (sync/allocation.HoldBack):
    # this quantile of a Poisson count at the SKU's pace (its sales within hold_back_sales_window_s over the time
    # since the first of them, no less than hold_back_window_s); 0 turns it off.
    hold_back_quantile: float = 0.99
    hold_back_window_s: float = 5.0
    hold_back_sales_window_s: float = 30.0
    # Ahead of a sale announced with its times (a planning event's starts_at), each shared listing of its SKUs holds
    # back at the sale's pace from its channel's round x hold_back_lead_rounds + hold_back_lead_s before the start.
    hold_back_lead_rounds: float = Field(default=2.0, ge=0)
    hold_back_lead_s: float = Field(default=15.0, ge=0)
    log_level: str = "INFO"
    # "console" for a person at a terminal, "json" (one object a line) for a log collector.
    log_format: Literal["console", "json"] = "console"
    # Dashboard sessions (kept in the database): one lapses this long after its last page, and this long after
    # sign-in however busy. Its cookie is `Secure` when the request came over TLS (X-Forwarded-Proto from an
    # address below counts), or always when session_cookie_secure is set.
    session_idle_s: float = 3600.0
    session_absolute_s: float = 12 * 3600.0
    session_cookie_secure: bool = False
    # Addresses whose X-Forwarded-For/-Proto `serve` believes (the load balancer's; "*" for any, comma-separated).
    forwarded_allow_ips: str = "127.0.0.1"
    # Writes through the public shopper pages (cart, checkout) one client address may make a minute; 0: no limit.
    shopper_requests_per_minute: float = 30.0
    # On SIGTERM: how long in-flight requests, writer batches, jobs and consumers get to finish.
    shutdown_drain_s: float = 10.0
    # Where events go after the outbox: "inproc" (one process) or "nats" (JetStream, scale-out).
    event_transport: str = "inproc"
    # Several servers of a cluster may be given, separated by commas.
    nats_url: str = "nats://127.0.0.1:4222"
    # The stream and the subjects' first token: two hubs (or test runs) on one NATS keep apart by these.
    nats_stream: str = "FLEXHUB_EVENTS"
    nats_prefix: str = "flexhub"
    # The stream's limits (oldest dropped first) and the window inside which a re-published event id is dropped.
    nats_max_age_s: float = 7 * 86400.0
    nats_max_bytes: int = 1 << 30
    nats_duplicate_window_s: float = 120.0
    nats_replicas: int = 1  # 3 on a three-node cluster
    # A consumer's event is offered this many times before it goes to the dead-letter subject; an event pulled
    # by a process that died is offered again after ack_wait.
    nats_max_deliver: int = 5
    nats_ack_wait_s: float = 30.0
    # Encrypts channel credentials at rest (a Fernet key); without it one is kept in secret_key_file.
    secret_key: str | None = None
    secret_key_file: str = "./var/secret.key"
    # The hub's address as shoppers' phones reach it, for the links in stores' QR codes (https://shop.example.com);
    # unset: the address the request that asked for the code came to.
    public_url: str | None = None
    # Where the set-up installed the dashboard's browser libraries from the npm registry.
    assets_dir: str = "./node_modules"

    @field_validator("hold_back_quantile")
    @classmethod
    def _a_quantile(cls, quantile: float) -> float:
        if not 0 <= quantile < 1:
            raise ValueError(f"hold_back_quantile is from 0 (off) up to, not including, 1; not {quantile}")
        return quantile

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, level: str) -> str:
        if level.upper() not in logging.getLevelNamesMapping():
            raise ValueError(f"{level!r} is not a logging level (DEBUG, INFO, WARNING, ERROR, CRITICAL)")
        return level.upper()

    def missing_secret_key(self) -> bool:
        """Off SQLite, several processes share the database: without one configured key, each would write its
        own key file and could not open the credentials another sealed."""
        return not self.secret_key and not self.database_url.startswith("sqlite")

-- hzcqrs: what PostgreSQL keeps so that a full restart of the Hazelcast cluster loses nothing.
-- Written by the members' MapStore (hazelcast/src/main/java), write-through; read back when the
-- cluster starts. Applied by `npm run db:migrate` (scripts/db-migrate.mjs); every statement is
-- idempotent.

-- The event log: one row per event, readable by anyone with SQL. A stream is identified by its
-- aggregate type and id; `namespace` keeps apart deployments (and test runs) sharing a database.
create table if not exists events (
  namespace       text        not null,
  aggregate_type  text        not null,
  aggregate_id    text        not null,
  version         integer     not null check (version >= 1),
  event_id        text        not null,
  event_type      text        not null,
  occurred_at     timestamptz not null,
  recorded_at_ms  bigint      not null,
  correlation_id  text,
  payload         jsonb       not null,
  primary key (namespace, aggregate_type, aggregate_id, version)
);

create index if not exists events_by_time on events (namespace, recorded_at_ms);
create index if not exists events_by_correlation on events (namespace, correlation_id) where correlation_id is not null;

-- Idempotency records: the first answer to a request with an Idempotency-Key, kept verbatim.
create table if not exists idempotency_records (
  namespace   text        not null,
  key         text        not null,
  record      text        not null,
  expires_at  timestamptz not null,
  primary key (namespace, key)
);

-- The read model and what vouches for it (ADR 0050): every entry of the members' view, history,
-- generation and watermark maps, one row per entry, keyed by the map's full name (namespace and
-- generation included) and the entry's key as the client spells it. `body` is the entry's JSON,
-- verbatim (compare-and-set on the members compares bytes); `version` is the view's own, the row's
-- checkpoint, and rows only move forward. Views and histories are written behind (a second or so
-- late); the watermark is written only after they were flushed, so it never vouches for a row
-- PostgreSQL does not hold yet.
create table if not exists read_model_rows (
  map_name  text   not null,
  key       text   not null,
  version   bigint,
  body      text   not null,
  primary key (map_name, key)
);

-- For reporting with SQL: the account views of every namespace and generation, as JSON.
create or replace view account_view_rows as
  select map_name, key as account_id, version, body::jsonb as view
  from read_model_rows where map_name like '%.views.accounts';

-- The account snapshots of the write model (ADR 0052): a cache of each account's state at a
-- version, written behind, that a command on a cold account reads before the events after it. The
-- event log stays the arbiter: a snapshot behind it costs a longer read, never a wrong decision.
create table if not exists snapshot_rows (
  map_name  text   not null,
  key       text   not null,
  version   bigint,
  body      text   not null,
  primary key (map_name, key)
);

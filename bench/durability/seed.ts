/**
 * Writes a log of `accounts` accounts with `perAccount` events each straight into PostgreSQL's
 * `events` table, in the rows the members' MapStore writes and loads (db/schema.sql,
 * hazelcast/src/main/java/dev/hzcqrs/member/EventLogMapStore.java): `AccountOpened` at version 1,
 * then `MoneyDeposited` of 1, so that account `r<a>` at version v has the balance v - 1.
 *
 * Recorded in the hour before now, interleaved as a bank's log is (every account opened, then
 * every account's first deposit, ...): a window of the log holds events of many streams, one or
 * two each, not whole streams. Seeding through the service would cost one command per event; this
 * costs one SQL statement per batch of accounts.
 */
export const seedStatement = `insert into events (namespace, aggregate_type, aggregate_id, version, event_id, event_type, occurred_at, recorded_at_ms, payload)
  select $1, 'account', 'r' || a, v, 'e' || a || '-' || v,
         case when v = 1 then 'AccountOpened' else 'MoneyDeposited' end,
         to_timestamp(floor($4::bigint - 3600000 + ((v - 1) * $7::bigint + a) * $5::float8) / 1000.0),
         floor($4::bigint - 3600000 + ((v - 1) * $7::bigint + a) * $5::float8)::bigint,
         case when v = 1 then '{"owner":"o","currency":"KRW"}'::jsonb else '{"amount":1}'::jsonb end
  from generate_series($2::integer, $6::integer - 1) a, generate_series(1, $3::integer) v`;

/** Parameters of the batch of accounts [from, to) of a log of `accounts` × `perAccount` events. */
export const seedValues = (namespace: string, from: number, to: number, perAccount: number, accounts: number, nowMs: number): unknown[] => {
  // At most one event per millisecond, over 50 minutes at most, ending well before now.
  const stepMs = Math.min(1, 3_000_000 / (accounts * perAccount));
  return [namespace, from, perAccount, nowMs, stepMs, to, accounts];
};

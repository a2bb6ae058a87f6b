/**
 * Transaction-scoped advisory locks, keyed by (purpose, hash of the schema name: pass it as $1)
 * so deployments sharing a database never wait on each other.
 *
 * EVENTS: taken just before a transaction appends events and held until it commits, so event
 * cursors become visible in cursor order. Without it, a transaction that took cursor 10 could
 * commit after one that took 11, and a reader resuming "after 11" would skip 10 for ever. Only
 * durable events pay for it (transitions, steps, claims); progress ticks never take it.
 */
export const EVENTS_LOCK_CLASS = 1213678;
export const LOCK_EVENTS = `SELECT pg_advisory_xact_lock(${EVENTS_LOCK_CLASS}, hashtext($1))`;
/** Readers of the newest cursor wait for in-flight appends (shared, so readers never block each other). */
export const LOCK_EVENTS_SHARED = `SELECT pg_advisory_xact_lock_shared(${EVENTS_LOCK_CLASS}, hashtext($1))`;
/** Two nodes starting together: one migrates, the other waits and then finds the work done. */
export const LOCK_MIGRATIONS = 'SELECT pg_advisory_xact_lock(1213679, hashtext($1))';

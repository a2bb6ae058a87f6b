import { HeadwayError } from '@headway/protocol';
import pg from 'pg';

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * Epoch-millisecond times are BIGINT and sums of them NUMERIC; pg returns both as strings to
 * keep precision. Ours stay far below 2^53, so they are read as numbers (per pool, not globally).
 */
function numberTypes(): pg.CustomTypesConfig {
  const types = new pg.TypeOverrides();
  types.setTypeParser(INT8_OID, (value: string) => Number(value));
  types.setTypeParser(NUMERIC_OID, (value: string) => Number(value));
  return types;
}

export type Row = Record<string, unknown>;
export type Queryable = Pick<pg.PoolClient, 'query'>;
/** SQL text, or a named statement that each connection prepares once (pg's QueryConfig). */
export type Sql = string | { name: string; text: string };

export interface PgDbOptions {
  connectionString: string;
  /** Schema every statement resolves names in (search_path); tests give each store its own. */
  schema: string;
  maxConnections: number;
  /** An idle connection failed (the server went away); the pool replaces it on next use. */
  onError: (error: Error) => void;
}

/**
 * A pg Pool bound to one schema, with a transaction helper. Advisory lock keys are derived from
 * the schema, so two deployments (or two tests) in one database never wait on each other.
 */
export class PgDb {
  readonly pool: pg.Pool;
  private closing: Promise<void> | null = null;

  constructor(readonly options: PgDbOptions) {
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections,
      types: numberTypes(),
      // search_path is a connection parameter: set on every connection before any statement.
      options: `-c search_path=${options.schema}`,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
    });
    this.pool.on('error', options.onError);
  }

  /** Rows as the caller's row type: the SQL text, not the compiler, decides their shape. */
  async all<R = Row>(sql: Sql, params: unknown[] = [], on: Queryable = this.pool): Promise<R[]> {
    return (await query(on, sql, params)).rows as R[];
  }

  async one<R = Row>(sql: Sql, params: unknown[] = [], on: Queryable = this.pool): Promise<R | undefined> {
    return (await query(on, sql, params)).rows[0] as R | undefined;
  }

  async run(sql: Sql, params: unknown[] = [], on: Queryable = this.pool): Promise<number> {
    return (await query(on, sql, params)).rowCount ?? 0;
  }

  /** Runs `work` in one READ COMMITTED transaction on one connection; rolls back if it throws. */
  async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect().catch((error: unknown) => {
      throw unreachable(error);
    });
    let broken = false;
    // The pool listens for errors only on idle connections: a connection lost while checked out
    // emits 'error' with no listener (an uncaught exception) besides failing its query.
    const onLost = () => (broken = true);
    client.on('error', onLost);
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A connection that cannot even roll back is dead: drop it rather than reuse it.
      await client.query('ROLLBACK').catch(() => (broken = true));
      throw unreachable(error);
    } finally {
      client.off('error', onLost);
      client.release(broken);
    }
  }

  close(): Promise<void> {
    return (this.closing ??= this.pool.end());
  }
}

/** A PostgreSQL error's SQLSTATE (23505 unique violation, 23503 foreign key violation, ...). */
export function sqlState(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

async function query(on: Queryable, sql: Sql, params: unknown[]): Promise<pg.QueryResult> {
  try {
    return await (typeof sql === 'string' ? on.query(sql, params) : on.query({ ...sql, values: params }));
  } catch (error) {
    throw unreachable(error);
  }
}

/** Socket errors, SQLSTATE class 08 (connection exception) and 57P01–03 (server shutting down or starting). */
const CONNECTION_ERRORS = /^(E[A-Z]+|08...|57P0[123])$/;
const CONNECTION_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/;

/**
 * A lost or refused connection becomes NOT_READY (503: try again, or another node), not an
 * INTERNAL error: the pool opens a fresh connection on the next call. Other errors pass as they are.
 */
export function unreachable(error: unknown): unknown {
  if (error instanceof HeadwayError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (!CONNECTION_MESSAGES.test(message) && !CONNECTION_ERRORS.test(sqlState(error) ?? '')) return error;
  return new HeadwayError('NOT_READY', `PostgreSQL is unreachable (${message}); the node reconnects by itself, try again shortly`);
}

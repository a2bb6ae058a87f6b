import type Database from 'better-sqlite3';

type Statement = Database.Statement<unknown[], unknown>;

const MAX_CACHED_STATEMENTS = 500;

/**
 * One better-sqlite3 connection with its prepared statements cached by SQL text. Statements are
 * prepared on first use, so they may name tables that migrations create after open.
 */
export class SqliteDb {
  private readonly statements = new Map<string, Statement>();

  /** Told after each committed write transaction (the background checkpointer listens). */
  onWrite: (() => void) | null = null;

  constructor(readonly connection: Database.Database) {}

  statement(sql: string): Statement {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      // Dynamic filters can only produce a bounded set of texts; the cap is a guard, not a policy.
      if (this.statements.size >= MAX_CACHED_STATEMENTS) this.statements.clear();
      prepared = this.connection.prepare(sql);
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  all<R>(sql: string, ...params: unknown[]): R[] {
    return this.statement(sql).all(...params) as R[];
  }

  get<R>(sql: string, ...params: unknown[]): R | undefined {
    return this.statement(sql).get(...params) as R | undefined;
  }

  run(sql: string, ...params: unknown[]): Database.RunResult {
    return this.statement(sql).run(...params);
  }

  /**
   * Runs `work` in a BEGIN IMMEDIATE transaction: the write lock is taken up front, so another
   * process writing the same file makes us wait (busy_timeout) rather than fail mid-transaction.
   */
  write<T>(work: () => T): T {
    const result = this.connection.transaction(work).immediate();
    this.onWrite?.();
    return result;
  }

  close(): void {
    this.statements.clear();
    if (this.connection.open) this.connection.close();
  }
}

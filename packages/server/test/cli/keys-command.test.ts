import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { eventually } from '../support/node.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { dropTestDb, freshTestDb } from '../support/test-db.js';

/** Runs `headway <args>` in-process and collects what it prints. */
async function headway(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let outText = '';
  let errText = '';
  out.on('data', (chunk: Buffer) => (outText += chunk.toString()));
  err.on('data', (chunk: Buffer) => (errText += chunk.toString()));
  const code = await main(args, env, { out: out as unknown as NodeJS.WriteStream, err: err as unknown as NodeJS.WriteStream });
  return { code, out: outText, err: errText };
}

describe('headway keys', () => {
  const dir = mkdtempSync(join(tmpdir(), 'headway-cli-keys-'));
  const db = freshTestDb(dir);
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ dbPath: db });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
    await dropTestDb(db);
  });

  it('create prints a working key once; list shows it without the secret; revoke makes it 401', async () => {
    const created = await headway(['keys', 'create', '--name', 'worker', '--scopes', 'jobs:write,jobs:read', '--db', db]);
    expect(created.code).toBe(0);
    const key = /^(hw_[0-9a-f]+_\S+)$/m.exec(created.out)?.[1];
    expect(key, created.out).toBeDefined();
    const id = key!.split('_')[1]!;
    expect((await server.request('POST', '/v1/jobs', { token: key!, body: { type: 'cli.test' } })).status).toBe(201);

    const listed = await headway(['keys', 'list'], { HEADWAY_DB: db });
    expect(listed.out).toMatch(new RegExp(`${id}\\s+worker\\s+jobs:write,jobs:read\\s+\\S+\\s+active`));
    expect(listed.out).not.toContain(key!.slice(`hw_${id}_`.length)); // the secret may itself contain '_'

    const revoked = await headway(['keys', 'revoke', id, '--db', db]);
    expect(revoked.code).toBe(0);
    expect(revoked.out).toContain('within 1 s');
    // The server trusts a key it found for KEY_RECHECK_MS, then asks the database again.
    await eventually(async () => (await server.request('GET', '/v1/jobs', { token: key! })).status === 401);
    expect((await headway(['keys', 'list', '--db', db])).out).toMatch(new RegExp(`${id}.*revoked`));
  });

  it('an unknown scope, an unknown key id or a missing name fails with a message and exit code 1', async () => {
    const badScope = await headway(['keys', 'create', '--name', 'x', '--scopes', 'jobs:all', '--db', db]);
    expect(badScope.code).toBe(1);
    expect(badScope.err).toMatch(/unknown scope "jobs:all"/);
    const unknown = await headway(['keys', 'revoke', 'nope', '--db', db]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/API key nope does not exist/);
    // A mistyped --db: listing or revoking there is refused and creates nothing; creating says it made a database.
    const typo = join(dir, 'headwya.db');
    for (const args of [['keys', 'list', '--db', typo], ['keys', 'revoke', 'abc', '--db', typo]]) {
      const refused = await headway(args);
      expect(refused.code, args.join(' ')).toBe(1);
      expect(refused.err).toContain(`no Headway database at ${typo}`);
    }
    expect(existsSync(typo)).toBe(false);
    const fresh = await headway(['keys', 'create', '--name', 'early', '--scopes', 'jobs:read', '--db', typo]);
    expect(fresh.code).toBe(0);
    expect(fresh.out).toContain(`No database was at ${typo}: created one`);
    const noName = await headway(['keys', 'create', '--db', db]);
    expect(noName.code).not.toBe(0);
    expect(noName.err).toMatch(/--name/);
  });

  it('the help of every command that opens the database says --db takes a PostgreSQL URL too', async () => {
    for (const command of [['serve'], ['keys', 'create'], ['keys', 'list'], ['keys', 'revoke']]) {
      const help = await headway([...command, '--help']);
      // Commander wraps the help to the terminal's width.
      expect(help.out.replace(/\s+/g, ' '), command.join(' ')).toContain('--db <path> SQLite file or postgres:// URL (HEADWAY_DB, default ./headway.db)');
    }
  });
});

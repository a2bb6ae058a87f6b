import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe } from 'vitest';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/store.js';
import { serviceUrl } from '../support/services.js';
import { describeNotificationStoreConformance } from './notification-conformance.js';

// Both implementations run in every pass of .ci/run: this suite is about the stores themselves.
const root = mkdtempSync(join(tmpdir(), 'headway-notify-store-'));
const fileOf = new WeakMap<Store, string>();
let files = 0;

async function openFile(path: string): Promise<Store> {
  const store = await openSqliteStore(path);
  fileOf.set(store, path);
  return store;
}

describeNotificationStoreConformance('sqlite', () => openFile(join(root, `notify-${++files}.db`)), (store) => openFile(fileOf.get(store)!));

const pgUrl = serviceUrl('pgUrl');
const schemaOf = new WeakMap<Store, string>();
const schemas: string[] = [];

async function openSchema(schema: string): Promise<Store> {
  const store = await openPostgresStore(pgUrl!, { schema, maxConnections: 6 });
  schemaOf.set(store, schema);
  return store;
}

describe.skipIf(!pgUrl)('PostgreSQL', () => {
  describeNotificationStoreConformance(
    'postgres',
    () => {
      const schema = `notify_${randomBytes(6).toString('hex')}`;
      schemas.push(schema);
      return openSchema(schema);
    },
    (store) => openSchema(schemaOf.get(store)!),
  );
});

afterAll(async () => {
  rmSync(root, { recursive: true, force: true });
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: pgUrl! });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schemas.join(', ')} CASCADE`);
  } finally {
    await client.end();
  }
});

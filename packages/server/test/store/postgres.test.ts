import { randomBytes } from 'node:crypto';
import { afterAll, describe } from 'vitest';
import pg from 'pg';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import type { Store } from '../../src/store/store.js';
import { serviceUrl } from '../support/services.js';
import { describeStoreConformance } from './conformance.js';

const pgUrl = serviceUrl('pgUrl');
const schemaOf = new WeakMap<Store, string>();
const schemas: string[] = [];

/** A store in a schema of its own: every test starts from an empty database, as graphile-worker and pg-boss isolate theirs. */
async function openSchema(schema: string): Promise<Store> {
  const store = await openPostgresStore(pgUrl!, { schema, maxConnections: 6 });
  schemaOf.set(store, schema);
  return store;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: pgUrl! });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe.skipIf(!pgUrl)('PostgreSQL store', () => {
  describeStoreConformance(
    'postgres',
    async () => {
      const schema = `test_${randomBytes(6).toString('hex')}`;
      schemas.push(schema);
      return openSchema(schema);
    },
    {
      openSame: (store) => openSchema(schemaOf.get(store)!),
      recordFutureMigration: (store, version) =>
        admin((client) =>
          client.query(`INSERT INTO ${schemaOf.get(store)!}.schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`, [version, `${version}_from_the_future`, Date.now()]),
        ).then(() => undefined),
    },
  );

  afterAll(async () => {
    if (schemas.length > 0) await admin((client) => client.query(`DROP SCHEMA IF EXISTS ${schemas.join(', ')} CASCADE`));
  });
});

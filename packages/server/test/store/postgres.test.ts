import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { zonedBucketStarts } from '../../src/model/zoned-buckets.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { openStore } from '../../src/store/open.js';
import { serviceUrl } from '../support/services.js';
import { asPostgresAdmin, postgresTestSchemas } from '../support/store-databases.js';
import { describeStoreConformance } from './conformance.js';
import { makeJob } from './fixtures.js';

const pgUrl = serviceUrl('pgUrl');
const schemas = postgresTestSchemas(pgUrl, 'test');
const { freshSchema, openSchema } = schemas;
const admin = <T>(work: (client: pg.Client) => Promise<T>) => asPostgresAdmin(pgUrl!, work);

describe.skipIf(!pgUrl)('PostgreSQL store', () => {
  describeStoreConformance('postgres', schemas.openFresh, {
    openSame: schemas.openSame,
    recordFutureMigration: (store, version) =>
      admin((client) =>
        client.query(`INSERT INTO ${schemas.schemaOf(store)}.schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`, [version, `${version}_from_the_future`, Date.now()]),
      ).then(() => undefined),
  });

  describe('beyond the shared suite', () => {
    it('two nodes migrating one database at the same moment: one migrates, the other finds it done', async () => {
      const schema = freshSchema();
      const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresStore(pgUrl!, { schema })));
      try {
        await Promise.all(stores.map((store) => store.migrate()));
        const versions = await admin((client) => client.query(`SELECT version FROM ${schema}.schema_migrations ORDER BY version`));
        expect(versions.rows.map((r: { version: number }) => r.version)).toEqual([...new Set(versions.rows.map((r: { version: number }) => r.version))]);
        const [job] = [makeJob()];
        await stores[0]!.jobs.insert([job!], 1);
        expect(await stores[3]!.jobs.get(job!.id)).toMatchObject({ id: job!.id, seq: 1 });
      } finally {
        for (const store of stores) await store.close();
      }
    });

    it('refuses at open a schema a newer release migrated, and a schema name that is not an identifier', async () => {
      const schema = freshSchema();
      const store = await openSchema(schema);
      await store.migrate();
      await store.close();
      await admin((client) => client.query(`INSERT INTO ${schema}.schema_migrations (version, name, applied_at) VALUES (9998, 'future', 0)`));
      await expect(openPostgresStore(pgUrl!, { schema })).rejects.toMatchObject({ code: 'NOT_READY', message: expect.stringContaining('migration 9998') });
      await expect(openPostgresStore(pgUrl!, { schema: 'x; DROP TABLE jobs' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    });

    it('openStore opens postgres:// URLs; an unreachable server is NOT_READY and the message never shows the password', async () => {
      const store = await openStore(pgUrl!);
      expect(store.dialect).toBe('postgres');
      await store.ping();
      await store.close();
      const refused = openStore('postgres://admin:s3cret@127.0.0.1:1/headway');
      await expect(refused).rejects.toMatchObject({ code: 'NOT_READY', message: expect.stringMatching(/PostgreSQL at 127\.0\.0\.1:1\/headway/) });
      await expect(refused).rejects.not.toMatchObject({ message: expect.stringContaining('s3cret') });
    });

    it('0005 keys the updatedAt listings of jobs written before it on their updatedAt, and progress then updates rows in place (HOT)', async () => {
      const schema = freshSchema();
      const store = await openSchema(schema);
      try {
        await store.migrate();
        // Back to the schema as version 4 left it, with two jobs written by that version.
        await admin(async (client) => {
          await client.query(`DELETE FROM ${schema}.schema_migrations WHERE version = 5`);
          await client.query(`DROP INDEX ${schema}.jobs_by_activity`);
          await client.query(`ALTER TABLE ${schema}.jobs DROP COLUMN active_at`);
          await client.query(`CREATE INDEX jobs_by_updated ON ${schema}.jobs (updated_at, id)`);
          const insert = `INSERT INTO ${schema}.jobs (id, type, status, control, metrics, max_attempts, created_at, updated_at, seq) VALUES ($1, 'import', 'running', 'run', '{}', 3, $2, $3, 1)`;
          await client.query(insert, ['older-but-busier', 1_000, 9_000]);
          await client.query(insert, ['newer-but-quiet', 2_000, 3_000]);
        });
        await store.migrate();
        expect((await store.jobs.get('older-but-busier'))?.activeAt).toBe(9_000);
        expect((await store.jobs.list({ sort: '-updatedAt', limit: 10 })).items.map((job) => job.id)).toEqual(['older-but-busier', 'newer-but-quiet']);

        // Progress without a new activeAt changes no indexed column, so PostgreSQL may update in place.
        for (let i = 1; i <= 20; i++) await store.jobs.saveProgress([{ id: 'older-but-busier', done: i, updatedAt: 9_000 + i }]);
      } finally {
        await store.close();
      }
      // The store's backends reported their counts as they exited.
      const updates = () =>
        admin(async (client) => {
          const { rows } = await client.query<{ hot: string; all: string }>(`SELECT n_tup_hot_upd AS hot, n_tup_upd AS all FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = 'jobs'`, [schema]);
          return { hot: Number(rows[0]?.hot ?? 0), all: Number(rows[0]?.all ?? 0) };
        });
      await expect.poll(async () => (await updates()).all, { timeout: 15_000, interval: 100 }).toBeGreaterThanOrEqual(20);
      expect((await updates()).hot).toBeGreaterThanOrEqual(15);
    });

    it('0007 lists the jobs finished before it for text searches, with a trigram index', async () => {
      const schema = freshSchema();
      const store = await openSchema(schema);
      try {
        await store.migrate();
        // Back to the schema as version 6 left it, with a finished and a running job written by that version.
        await admin(async (client) => {
          await client.query(`DELETE FROM ${schema}.schema_migrations WHERE version >= 7`);
          await client.query(`DROP TABLE ${schema}.finished_job_texts`);
          await client.query(`DROP FUNCTION ${schema}.headway_keep_finished_text() CASCADE`);
          await client.query(`DROP FUNCTION ${schema}.headway_fold(text)`);
          const insert = `INSERT INTO ${schema}.jobs (id, type, title, status, control, metrics, max_attempts, created_at, updated_at, active_at, seq) VALUES ($1, 'import', $2, $3, 'run', '{}', 3, $4, $4, $4, 1)`;
          await client.query(insert, ['finished-before', 'Quarterly LEDGER export', 'completed', 1_000]);
          await client.query(insert, ['running-before', 'quarterly ledger import', 'running', 2_000]);
        });
        await store.migrate();
        const listed = await admin((client) => client.query(`SELECT job_id, body FROM ${schema}.finished_job_texts`));
        expect(listed.rows).toEqual([{ job_id: 'finished-before', body: 'quarterly ledger export' }]);
        const indexes = await admin((client) => client.query(`SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = 'finished_job_texts'`, [schema]));
        expect(indexes.rows.map((row: { indexname: string }) => row.indexname).sort()).toEqual(['finished_job_texts_pkey', 'finished_job_texts_trigrams']);
        expect((await store.jobs.list({ text: 'quarterly ledger', limit: 10, sort: 'createdAt' })).items.map((job) => job.id)).toEqual(['finished-before', 'running-before']);
      } finally {
        await store.close();
      }
    });

    it('0008 folds case as JavaScript does (ICU), for texts listed before it too', async () => {
      const schema = freshSchema();
      const store = await openSchema(schema);
      try {
        await store.migrate();
        // Back to version 7: its trigger listed texts through plain lower(), and a job finished then.
        await admin(async (client) => {
          await client.query(`DELETE FROM ${schema}.schema_migrations WHERE version = 8`);
          await client.query(`SET search_path TO ${schema}`);
          await client.query(`DROP FUNCTION headway_fold(text) CASCADE`);
          await client.query(`CREATE FUNCTION headway_fold(t TEXT) RETURNS TEXT LANGUAGE sql AS 'SELECT lower(t)'`);
          const insert = `INSERT INTO jobs (id, type, title, status, control, metrics, max_attempts, created_at, updated_at, active_at, seq) VALUES ($1, 'import', $2, 'completed', 'run', '{}', 3, $3, $3, $3, 1)`;
          await client.query(insert, ['greek', 'ΟΔΟΣ ΑΘΗΝΑΣ', 1_000]);
          await client.query(insert, ['turkish', 'İSTANBUL upload', 2_000]);
          await client.query(`DROP FUNCTION headway_fold(text)`);
        });
        await store.migrate();
        const listed = await admin((client) => client.query(`SELECT job_id, body FROM ${schema}.finished_job_texts ORDER BY job_id`));
        expect(listed.rows).toEqual([
          { job_id: 'greek', body: 'οδος αθηνας' },
          { job_id: 'turkish', body: 'i̇stanbul upload' },
        ]);
        const search = async (text: string) => (await store.jobs.list({ text, limit: 10, sort: 'createdAt' })).items.map((job) => job.id);
        expect(await search('αθηνας')).toEqual(['greek']);
        expect(await search('İstanbul')).toEqual(['turkish']);
        expect(await search('i̇stanbul')).toEqual(['turkish']);
      } finally {
        await store.close();
      }
    });

    it('the text filter folds non-ASCII case too', async () => {
      const store = await openSchema(freshSchema());
      try {
        await store.migrate();
        const job = makeJob({ title: 'ÜBERSICHT Ärger' });
        await store.jobs.insert([job], 1);
        expect((await store.jobs.list({ text: 'übersicht ä', limit: 10 })).items.map((j) => j.id)).toEqual([job.id]);
      } finally {
        await store.close();
      }
    });

    it('analytics answer exactly what the SQLite store answers on the same jobs', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'headway-analytics-parity-'));
      const sqlite = await openSqliteStore(join(dir, 'parity.db'));
      const postgres = await openSchema(freshSchema());
      try {
        await Promise.all([sqlite.migrate(), postgres.migrate()]);
        const hour = 3_600_000;
        const t0 = 1_700_000_000_000 - (1_700_000_000_000 % hour);
        const statuses = ['completed', 'completed', 'failed', 'cancelled', 'completed'] as const;
        const jobs = Array.from({ length: 60 }, (_, i) => {
          const status = statuses[i % statuses.length]!;
          const finishedAt = t0 + i * 97_000;
          const startedAt = finishedAt - 1_000 * (1 + ((i * 7) % 23)) - (i % 4) * 500;
          const steps = [
            { name: 'fetch', weight: 1, status: 'done' as const, startedAt, endedAt: startedAt + 100 * (1 + (i % 5)) },
            { name: 'encode', weight: 1, status: 'done' as const, startedAt: startedAt + 600, endedAt: startedAt + 600 + 50 * (i % 9) },
          ];
          return makeJob({ type: i % 3 === 0 ? 'video' : 'import', owner: i % 2 === 0 ? 'ann' : 'bob', status, startedAt, finishedAt, updatedAt: finishedAt, pausedMs: (i % 4) * 500, done: i, unit: i % 3 === 0 ? 'frames' : 'rows', steps });
        });
        jobs.push(makeJob({ type: 'import', status: 'running', owner: 'ann' }), makeJob({ type: 'video', status: 'queued' }), makeJob({ type: 'video', status: 'paused', owner: 'bob' }));
        await Promise.all([sqlite.jobs.insert(jobs, t0), postgres.jobs.insert(jobs, t0)]);
        const range = { from: t0 + 5 * 97_000, to: t0 + 50 * 97_000 };
        for (const owner of [undefined, 'ann']) {
          const r = { ...range, ...(owner ? { owner } : {}) };
          expect(await postgres.analytics.typeOutcomes(r)).toEqual(await sqlite.analytics.typeOutcomes(r));
          expect(await postgres.analytics.activeCounts(owner)).toEqual(await sqlite.analytics.activeCounts(owner));
          // Kolkata's clock is UTC+5:30, so its hours start on UTC half-hours.
          const kolkataHours = zonedBucketStarts(r.from, r.to, hour, 'Asia/Kolkata');
          const quarters = zonedBucketStarts(r.from, r.to, hour / 4, 'UTC');
          expect(await postgres.analytics.throughput({ ...r, bucketStarts: quarters })).toEqual(await sqlite.analytics.throughput({ ...r, bucketStarts: quarters }));
          expect(await postgres.analytics.throughput({ ...r, type: 'video', bucketStarts: kolkataHours })).toEqual(await sqlite.analytics.throughput({ ...r, type: 'video', bucketStarts: kolkataHours }));
          expect(await postgres.analytics.stepDurations({ ...r, type: 'import' })).toEqual(await sqlite.analytics.stepDurations({ ...r, type: 'import' }));
        }
        expect(await postgres.analytics.unitOf('video')).toBe(await sqlite.analytics.unitOf('video'));
        expect((await postgres.analytics.typeOutcomes(range)).length).toBeGreaterThan(0);
      } finally {
        await Promise.all([sqlite.close(), postgres.close()]);
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  afterAll(() => schemas.dropAll());
});

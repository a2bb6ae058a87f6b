import {
  ERROR_CATALOGUE,
  InAppNotificationSchema,
  JobEventSchema,
  JobSchema,
  ProgressAnswerSchema,
  StepAnalyticsAnswerSchema,
  ThroughputAnswerSchema,
  TypeAnalyticsAnswerSchema,
  type InAppNotification,
  type Job,
  type JobEvent,
  type ProgressAnswer,
  type StepAnalyticsAnswer,
  type ThroughputAnswer,
  type TypeAnalyticsAnswer,
} from '@headway/protocol';
import type { Static } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { startTestServer, testServerPerTest, type TestServer } from '../support/server.js';
import { TOKEN_SECRET, createKey, signUserToken } from './fixtures.js';
import { OpenApiContract } from './openapi-contract.js';

const ADMIN = { kind: 'admin' } as const;

/**
 * The answers of a running server, main routes first, against the schemas GET /v1/openapi.json
 * publishes: the document cannot drift from what the routes send. Answers are compared as text,
 * since the schemas must never shape them (they document; JSON.stringify serializes).
 */
describe('OpenAPI answers contract', () => {
  let server: TestServer;
  let contract: OpenApiContract;
  const startServer = testServerPerTest();

  beforeAll(async () => {
    server = await startTestServer({ config: { tokenSecret: TOKEN_SECRET } });
    contract = await OpenApiContract.of(server);
  });
  afterAll(() => server.close());

  /** Calls `url` (default: the route itself) and checks the answer against the route's documented one. */
  async function documented<T = unknown>(method: string, route: string, options: { url?: string; body?: unknown; token?: string | null; status?: number; on?: TestServer } = {}) {
    const target = options.on ?? server;
    const token = options.token === undefined ? target.adminKey : options.token;
    const res = await target.app.inject({
      method: method as 'GET',
      url: options.url ?? route,
      headers: { ...(token !== null ? { authorization: `Bearer ${token}` } : {}), ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(options.body !== undefined ? { payload: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) } : {}),
    });
    const answer = { status: res.statusCode, text: res.payload };
    if (options.status !== undefined) expect(answer.status, `${method} ${options.url ?? route}: ${answer.text.slice(0, 300)}`).toBe(options.status);
    expect(contract.violations(method, route, answer)).toBe('');
    return { ...answer, body: (answer.text ? JSON.parse(answer.text) : undefined) as T };
  }

  it('every route documents its success answers with a body schema, and the error answers it can give', () => {
    const { paths } = contract.document;
    const operations = Object.entries(paths).flatMap(([route, methods]) => Object.entries(methods).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${route}`, method, route, operation })));
    expect(operations.length).toBeGreaterThanOrEqual(38);
    for (const { name, method, route, operation } of operations) {
      const statuses = Object.keys(operation.responses);
      const successes = statuses.filter((s) => s.startsWith('2'));
      expect(successes.length, name).toBeGreaterThan(0);
      for (const status of successes) {
        const response = contract.response(method, route, Number(status));
        expect(response.description, name).not.toBe('Default Response');
        if (status !== '204') expect(response.content?.['application/json'].schema, `${name} ${status}`).toBeDefined();
      }
      expect(statuses, name).toContain('default');
      if (operation.security) expect(statuses, name).toEqual(expect.arrayContaining(['401', '403', '429']));
      for (const status of statuses.filter((s) => /^4/.test(s))) {
        // Each error answer is {error: {code, message}} with the codes the catalogue gives that status.
        const schemaName = (contract.response(method, route, Number(status)).content!['application/json'].schema.$ref as string).split('/').pop()!;
        const codes = (Object.keys(ERROR_CATALOGUE) as Array<keyof typeof ERROR_CATALOGUE>).filter((c) => ERROR_CATALOGUE[c].status === Number(status));
        expect(contract.document.components.schemas[schemaName], `${name} ${status}`).toMatchObject({ properties: { error: { properties: { code: { enum: codes } } } } });
      }
    }
    expect(Object.keys(paths['/v1/jobs/{id}/progress']!.post!.responses)).toEqual(['200', '400', '401', '403', '404', '409', '413', '429', 'default']);
    expect(contract.response('POST', '/v1/jobs', 201).content!['application/json'].schema).toEqual({ $ref: '#/components/schemas/Job' });
  });

  it('jobs: create, read, long-poll, list and every action answer as documented', async () => {
    const created = await documented<Job>('POST', '/v1/jobs', {
      status: 201,
      body: { type: 'contract.batch', title: 'Batch', tags: ['a'], metadata: { k: [1, { x: null }] }, children: [{ type: 'contract.item', steps: [{ name: 'load' }] }, { type: 'contract.item' }] },
    });
    const parent = created.body;
    const url = `/v1/jobs/${parent.id}`;
    await documented('GET', '/v1/jobs/{id}', { url, status: 200 });
    await documented('GET', '/v1/jobs/{id}', { url: `${url}?waitForChangeAfter=${parent.seq}&timeoutMs=0`, status: 200 });
    const page = await documented<{ items: Job[]; nextCursor: string | null }>('GET', '/v1/jobs', { url: `/v1/jobs?parentId=${parent.id}&limit=1`, status: 200 });
    expect(page.body.nextCursor).toEqual(expect.any(String));
    const children = await documented<{ items: Job[]; nextCursor: string | null }>('GET', '/v1/jobs', { url: `/v1/jobs?parentId=${parent.id}`, status: 200 });
    const counted = children.body.items.find((j) => j.steps.length > 0);
    const plain = children.body.items.find((j) => j.steps.length === 0);

    const act = (job: Job, action: string, body: unknown = {}) => documented<Job>('POST', `/v1/jobs/{id}/${action}`, { url: `/v1/jobs/${job.id}/${action}`, body, status: 200 });
    await act(counted!, 'start');
    // A step that counts its own units, custom metrics and an ETA: the optional and nullable parts of a job.
    await documented('POST', '/v1/jobs/{id}/progress', { url: `/v1/jobs/${counted!.id}/progress`, body: { step: 'load', total: 10, done: 2, metrics: { rows: 2 } }, status: 200 });
    await documented('POST', '/v1/jobs/{id}/progress', { url: `/v1/jobs/${counted!.id}/progress`, body: { done: 4 }, status: 200 });
    const reported = await documented<Job>('GET', '/v1/jobs/{id}', { url: `/v1/jobs/${counted!.id}`, status: 200 });
    expect(reported.body.steps[0]).toMatchObject({ name: 'load', total: 10 });
    expect(reported.body.metrics.custom).toEqual({ rows: 2 });
    await act(counted!, 'pause');
    await act(counted!, 'pause');
    await act(counted!, 'resume');
    await act(counted!, 'start');
    const failed = await act(counted!, 'fail', { error: { message: 'disk full', code: 'ENOSPC' }, retry: false });
    expect(failed.body.error).toMatchObject({ message: 'disk full', code: 'ENOSPC' });
    await act(counted!, 'retry');
    await act(counted!, 'start');
    await act(counted!, 'complete', { result: { rows: 10 } });
    await act(plain!, 'cancel');
    // A batch: its counts are an object (the roll-up catches up with the flush; its figures are not the point here).
    const parentNow = await documented<Job>('GET', '/v1/jobs/{id}', { url, status: 200 });
    expect(parentNow.body.counts).toMatchObject({ total: 2 });

    const events = await documented<{ items: JobEvent[] }>('GET', '/v1/jobs/{id}/events', { url: `/v1/jobs/${counted!.id}/events`, status: 200 });
    expect(new Set(events.body.items.map((e) => e.kind))).toEqual(new Set(['created', 'transition', 'step', 'milestone', 'control', 'error']));
  });

  it('progress answers, single and batch (with refused items), answer as documented', async () => {
    const [running, finished] = [(await documented<Job>('POST', '/v1/jobs', { body: { type: 'contract.progress' }, status: 201 })).body, (await documented<Job>('POST', '/v1/jobs', { body: { type: 'contract.progress' }, status: 201 })).body];
    await documented('POST', '/v1/jobs/{id}/cancel', { url: `/v1/jobs/${finished.id}/cancel`, body: {}, status: 200 });
    const single = await documented<ProgressAnswer>('POST', '/v1/jobs/{id}/progress', { url: `/v1/jobs/${running.id}/progress`, body: { percent: 5 }, status: 200 });
    expect(single.body).toEqual({ seq: expect.any(Number), control: 'run' });
    const batch = await documented<Array<{ jobId: string; error?: { code: string } }>>('POST', '/v1/progress', {
      body: [{ jobId: running.id, percent: 10, message: 'half' }, { jobId: 'no-such-job', done: 1 }, { jobId: finished.id, done: 1 }],
      status: 200,
    });
    expect(batch.body.map((item) => item.error?.code ?? 'ok')).toEqual(['ok', 'JOB_NOT_FOUND', 'ILLEGAL_TRANSITION']);
  });

  it('error answers of each documented status answer as documented', async () => {
    const job = (await documented<Job>('POST', '/v1/jobs', { body: { type: 'contract.errors' }, status: 201 })).body;
    await documented('POST', '/v1/jobs', { body: { type: '' }, status: 400 });
    await documented('GET', '/v1/jobs', { url: '/v1/jobs?limit=1e3', status: 400 });
    await documented('GET', '/v1/jobs/{id}', { url: `/v1/jobs/${job.id}`, token: null, status: 401 });
    const reader = await createKey(server, ['jobs:read']);
    await documented('POST', '/v1/jobs/{id}/start', { url: `/v1/jobs/${job.id}/start`, body: {}, token: reader.key, status: 403 });
    await documented('GET', '/v1/jobs/{id}', { url: '/v1/jobs/no-such-job', status: 404 });
    const illegal = await documented<{ error: { code: string; details?: unknown } }>('POST', '/v1/jobs/{id}/complete', { url: `/v1/jobs/${job.id}/complete`, body: {}, status: 409 });
    expect(illegal.body.error).toMatchObject({ code: 'ILLEGAL_TRANSITION', details: expect.any(Object) });
    await documented('POST', '/v1/progress', { body: JSON.stringify([{ jobId: job.id, message: 'x'.repeat(server.headway.config.bodyLimitBytes) }]), status: 413 });

    const limited = await startServer({ config: { rateLimitPerMinute: 1 } });
    const worker = await createKey(limited, ['jobs:read']);
    await documented('GET', '/v1/jobs', { on: limited, token: worker.key, status: 200 });
    await documented('GET', '/v1/jobs', { on: limited, token: worker.key, status: 429 });
  });

  it('the other routes answer as documented: tokens, keys, system, health, analytics, notifications, templates', async () => {
    await documented('POST', '/v1/tokens', { body: { sub: 'ada', ttlSeconds: 60 }, status: 201 });
    const key = await documented<{ id: string }>('POST', '/v1/keys', { body: { name: 'contract', scopes: ['jobs:read'] }, status: 201 });
    await documented('GET', '/v1/keys', { status: 200 });
    await documented('DELETE', '/v1/keys/{id}', { url: `/v1/keys/${key.body.id}`, status: 200 });
    await documented('GET', '/v1/system', { status: 200 });
    await documented('GET', '/v1/health', { token: null, status: 200 });

    const job = (await documented<Job>('POST', '/v1/jobs', { body: { type: 'contract.analytics', owner: 'ada', steps: [{ name: 'one' }] }, status: 201 })).body;
    for (const action of ['start', 'complete']) await documented('POST', `/v1/jobs/{id}/${action}`, { url: `/v1/jobs/${job.id}/${action}`, body: {}, status: 200 });
    const range = `from=${Date.now() - 7 * 86_400_000}&to=${Date.now() + 60_000}`;
    const types = await documented<{ types: unknown[] }>('GET', '/v1/analytics/types', { url: `/v1/analytics/types?${range}`, status: 200 });
    expect(types.body.types.length).toBeGreaterThan(0);
    await documented('GET', '/v1/analytics/throughput', { url: `/v1/analytics/throughput?type=contract.analytics&bucket=1d&${range}`, status: 200 });
    await documented('GET', '/v1/analytics/steps', { url: `/v1/analytics/steps?type=contract.analytics&${range}`, status: 200 });

    const ada = await signUserToken('ada', Math.floor(Date.now() / 1000) + 600);
    await documented('GET', '/v1/notifications', { url: '/v1/notifications?unread=true', token: ada, status: 200 });
    await documented('GET', '/v1/notifications/unread-count', { token: ada, status: 200 });
    await documented('POST', '/v1/notifications/read', { body: {}, token: ada, status: 200 });
    await documented('GET', '/v1/users/{id}/preferences', { url: '/v1/users/ada/preferences', status: 200 });
    const prefs = { timeZone: 'Europe/Paris', contacts: { email: 'ada@example.test', webhook: { url: 'https://hooks.example.test/ada' } }, quietHours: { start: '22:00', end: '07:00' }, types: { 'job.failed': { frequency: 'immediate' } } };
    await documented('PUT', '/v1/users/{id}/preferences', { url: '/v1/users/ada/preferences', body: prefs, status: 200 });
    await documented('PUT', '/v1/users/{id}/muted-jobs/{jobId}', { url: `/v1/users/ada/muted-jobs/${job.id}`, status: 200 });
    await documented('DELETE', '/v1/users/{id}/muted-jobs/{jobId}', { url: `/v1/users/ada/muted-jobs/${job.id}`, status: 200 });
    await documented('POST', '/v1/users/{id}/watches', { url: '/v1/users/ada/watches', body: { jobId: job.id }, status: 201 });
    await documented('POST', '/v1/users/{id}/watches', { url: '/v1/users/ada/watches', body: { jobId: job.id }, status: 200 });
    await documented('GET', '/v1/users/{id}/watches', { url: '/v1/users/ada/watches', status: 200 });
    await documented('DELETE', '/v1/users/{id}/watches', { url: `/v1/users/ada/watches?jobId=${job.id}`, status: 204 });

    const template = '/v1/notification-templates/{type}/{channel}';
    await documented('GET', '/v1/notification-templates', { status: 200 });
    await documented('GET', template, { url: '/v1/notification-templates/job.completed/email', status: 200 });
    await documented('PUT', template, { url: '/v1/notification-templates/job.completed/email', body: { subject: 'Done: {{ job.title }}', text: 'ok' }, status: 200 });
    const listed = await documented<{ items: Array<{ source: string }> }>('GET', '/v1/notification-templates', { status: 200 });
    expect(listed.body.items[0]!.source).toBe('custom');
    await documented('GET', template, { url: '/v1/notification-templates/job.completed/email', status: 200 });
    await documented('POST', `${template}/preview`, { url: '/v1/notification-templates/job.completed/email/preview', body: { jobId: job.id }, status: 200 });
    await documented('PUT', template, { url: '/v1/notification-templates/job.completed/email', body: { subject: '{% if %}' }, status: 400 });
    await documented('DELETE', template, { url: '/v1/notification-templates/job.completed/email', status: 204 });
  });

  it('answers are the JSON.stringify of what the service returned: no field dropped, no key moved by a schema', async () => {
    const job = (await documented<Job>('POST', '/v1/jobs', { body: { type: 'contract.bytes', steps: [{ name: 'a' }] }, status: 201 })).body;
    for (const action of ['start', 'pause', 'pause', 'resume']) await documented('POST', `/v1/jobs/{id}/${action}`, { url: `/v1/jobs/${job.id}/${action}`, body: {}, status: 200 });
    await documented('POST', '/v1/jobs/{id}/progress', { url: `/v1/jobs/${job.id}/progress`, body: { step: 'a', done: 1, total: 4 }, status: 200 });
    // Stored events put their own fields before `kind`; the documented schema lists `kind` first.
    const events = await documented('GET', '/v1/jobs/{id}/events', { url: `/v1/jobs/${job.id}/events`, status: 200 });
    expect(events.text).toBe(JSON.stringify({ items: await server.headway.jobs.events(job.id, 0, 100, ADMIN) }));
    const read = await documented('GET', '/v1/jobs/{id}', { url: `/v1/jobs/${job.id}`, status: 200 });
    expect(read.text).toBe(JSON.stringify(await server.headway.jobs.get(job.id, ADMIN)));
    const list = await documented('GET', '/v1/jobs', { url: '/v1/jobs?type=contract.bytes', status: 200 });
    expect(list.text).toBe(JSON.stringify({ ...(await server.headway.jobs.list({ type: 'contract.bytes' }, ADMIN)), eventCursor: await server.headway.store.jobs.latestCursor() }));
  });

  it('the published schemas have the shapes of the protocol types (checked by tsc)', () => {
    expectTypeOf<Static<typeof JobSchema>>().toExtend<Job>();
    expectTypeOf<Job>().toExtend<Static<typeof JobSchema>>();
    expectTypeOf<Static<typeof JobEventSchema>>().toExtend<JobEvent>();
    expectTypeOf<JobEvent>().toExtend<Static<typeof JobEventSchema>>();
    expectTypeOf<Static<typeof ProgressAnswerSchema>>().toEqualTypeOf<ProgressAnswer>();
    expectTypeOf<Static<typeof InAppNotificationSchema>>().toExtend<InAppNotification>();
    expectTypeOf<InAppNotification>().toExtend<Static<typeof InAppNotificationSchema>>();
    expectTypeOf<Static<typeof TypeAnalyticsAnswerSchema>>().toEqualTypeOf<TypeAnalyticsAnswer>();
    expectTypeOf<Static<typeof ThroughputAnswerSchema>>().toEqualTypeOf<ThroughputAnswer>();
    expectTypeOf<Static<typeof StepAnalyticsAnswerSchema>>().toEqualTypeOf<StepAnalyticsAnswer>();
  });
});

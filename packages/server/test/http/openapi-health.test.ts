import { JOB_ACTIONS } from '@headway/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

type OpenApi = { openapi: string; paths: Record<string, Record<string, { requestBody?: unknown; parameters?: Array<{ name: string; in: string }> }>>; components: { securitySchemes: Record<string, unknown> } };

describe('OpenAPI and health', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('openapi.json is an OpenAPI 3 document listing every route with its schemas', async () => {
    const res = await server.request<OpenApi>('GET', '/v1/openapi.json', { token: null });
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toMatch(/^3\./);
    const routes = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /v1/jobs',
        'GET /v1/jobs',
        'GET /v1/jobs/{id}',
        'POST /v1/jobs/{id}/progress',
        'POST /v1/progress',
        'GET /v1/jobs/{id}/events',
        'POST /v1/tokens',
        'POST /v1/keys',
        'GET /v1/keys',
        'DELETE /v1/keys/{id}',
        'GET /v1/health',
        'GET /v1/system',
        ...JOB_ACTIONS.map((a) => `POST /v1/jobs/{id}/${a}`),
      ]),
    );
    expect(routes).not.toContain('GET /v1/openapi.json');
    expect(doc.paths['/v1/jobs']!.post!.requestBody).toBeDefined();
    expect(doc.paths['/v1/jobs']!.get!.parameters!.map((p) => p.name)).toEqual(expect.arrayContaining(['status', 'cursor', 'limit']));
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('health answers ok and ready while the store answers', async () => {
    const res = await server.request('GET', '/v1/health', { token: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', ready: true, checks: { store: 'ok', bus: 'ok' } });
  });

  it('health answers 503, not ready, when the store fails', async () => {
    const broken = await startTestServer();
    try {
      await broken.headway.store.close();
      const res = await broken.request<{ status: string; ready: boolean; checks: { store: string } }>('GET', '/v1/health', { token: null });
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ status: 'degraded', ready: false });
      expect(res.body.checks.store).toMatch(/^failing: /);
    } finally {
      await broken.app.close();
      await broken.close().catch(() => undefined); // the store is already closed
    }
  });
});

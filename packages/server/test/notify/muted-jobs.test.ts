import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUserToken, TOKEN_SECRET, type ErrorAnswer } from '../http/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';

interface Prefs {
  timeZone: string;
  mutedJobs: string[];
}

/** PUT/DELETE /v1/users/:id/muted-jobs/:jobId over real HTTP, on the store HEADWAY_TEST_STORE picks. */
describe('muting one job at a time', () => {
  let server: TestServer;
  const tokens: Record<string, string> = {};
  const exp = () => Math.floor(Date.now() / 1000) + 600;

  beforeAll(async () => {
    server = await startTestServer({ config: { tokenSecret: TOKEN_SECRET } });
    for (const user of ['ada', 'bob', 'cyd', 'eve', 'fay']) tokens[user] = await signUserToken(user, exp());
  });
  afterAll(() => server.close());

  const mute = (user: string, jobId: string, token: string | null = tokens[user]!) => server.request<Prefs & ErrorAnswer>('PUT', `/v1/users/${user}/muted-jobs/${encodeURIComponent(jobId)}`, { token });
  const unmute = (user: string, jobId: string, token: string | null = tokens[user]!) => server.request<Prefs & ErrorAnswer>('DELETE', `/v1/users/${user}/muted-jobs/${encodeURIComponent(jobId)}`, { token });
  const stored = async (user: string) => (await server.request<Prefs>('GET', `/v1/users/${user}/preferences`)).body;

  it('20 concurrent mutes of different jobs, racing a save of other preferences, are all kept', async () => {
    const jobs = Array.from({ length: 20 }, (_, i) => `job-${i}`);
    const save = server.request<Prefs>('PATCH', '/v1/users/ada/preferences', { token: tokens.ada!, body: { timeZone: 'Europe/Paris' } });
    const answers = await Promise.all([...jobs.map((jobId) => mute('ada', jobId)), save]);
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    const after = await stored('ada');
    expect([...after.mutedJobs].sort()).toEqual([...jobs].sort());
    expect(after.timeZone).toBe('Europe/Paris');
  });

  it('unmuting one job leaves the others muted, and answers the stored preferences', async () => {
    for (const jobId of ['a', 'b', 'c']) expect((await mute('bob', jobId)).status).toBe(200);
    const answer = await unmute('bob', 'b');
    expect(answer.status).toBe(200);
    expect(answer.body.mutedJobs).toEqual(['a', 'c']);
    expect(answer.body.timeZone).toBe('UTC');
    expect((await stored('bob')).mutedJobs).toEqual(['a', 'c']);
  });

  it('muting a muted job and unmuting an unmuted one change nothing and are no error', async () => {
    expect((await mute('cyd', 'x')).body.mutedJobs).toEqual(['x']);
    const again = await mute('cyd', 'x');
    expect(again.status).toBe(200);
    expect(again.body.mutedJobs).toEqual(['x']);
    const never = await unmute('cyd', 'never-muted');
    expect(never.status).toBe(200);
    expect(never.body.mutedJobs).toEqual(['x']);
    // A user with no stored preferences gets the defaults, and nothing is written for them.
    const fresh = await unmute('dan', 'y', server.adminKey);
    expect(fresh.status).toBe(200);
    expect(fresh.body.mutedJobs).toEqual([]);
    expect((await server.headway.store.notifications.getPreferences(['dan'])).size).toBe(0);
  });

  it('a user token mutes only for its own user; the admin key for anyone; no token is 401', async () => {
    const other = await mute('bob', 'j1', tokens.eve!);
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('FORBIDDEN');
    expect(other.body.error.message).toContain('own muted jobs');
    expect((await unmute('bob', 'a', tokens.eve!)).status).toBe(403);
    const anonymous = await mute('eve', 'j1', null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('UNAUTHORIZED');
    expect((await unmute('eve', 'j1', null)).status).toBe(401);
    const byAdmin = await mute('eve', 'j1', server.adminKey);
    expect(byAdmin.status).toBe(200);
    expect((await stored('eve')).mutedJobs).toEqual(['j1']);
    expect((await stored('bob')).mutedJobs).toEqual(['a', 'c']);
  });

  it('a job id longer than 100 characters is refused naming the field', async () => {
    for (const answer of [await mute('eve', 'j'.repeat(101)), await unmute('eve', 'j'.repeat(101))]) {
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('VALIDATION_FAILED');
      expect(answer.body.error.message).toContain('path parameter "jobId"');
    }
    expect((await mute('eve', 'j'.repeat(100))).status).toBe(200);
  });

  it('the 1,001st muted job is refused with 409 saying to unmute one first; unmuting makes room', async () => {
    const full = Array.from({ length: 1000 }, (_, i) => `full-${i}`);
    expect((await server.request('PUT', '/v1/users/fay/preferences', { token: tokens.fay!, body: { mutedJobs: full } })).status).toBe(200);
    const refused = await mute('fay', 'one-more');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('CONFLICT');
    expect(refused.body.error.message).toMatch(/already mutes 1000 jobs.*unmute one/);
    expect((await stored('fay')).mutedJobs).toHaveLength(1000);
    // At the cap, muting a job already muted is still no error.
    expect((await mute('fay', 'full-7')).status).toBe(200);
    expect((await unmute('fay', 'full-0')).status).toBe(200);
    const room = await mute('fay', 'one-more');
    expect(room.status).toBe(200);
    expect(room.body.mutedJobs).toHaveLength(1000);
    expect(room.body.mutedJobs).toContain('one-more');
  });

  it('both routes are in the OpenAPI document with their path parameters', async () => {
    const doc = (await server.request<{ paths: Record<string, Record<string, { parameters?: Array<{ name: string }> }>> }>('GET', '/v1/openapi.json', { token: null })).body;
    const path = doc.paths['/v1/users/{id}/muted-jobs/{jobId}'];
    expect(Object.keys(path ?? {}).sort()).toEqual(['delete', 'put']);
    expect(path!.put!.parameters!.map((p) => p.name).sort()).toEqual(['id', 'jobId']);
  });
});

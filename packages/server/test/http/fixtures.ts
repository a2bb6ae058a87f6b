import type { Job } from '@headway/protocol';
import { SignJWT } from 'jose';
import type { TestServer } from '../support/server.js';

/** A fixed user-token secret, so tests can sign tokens the way a host app would. */
export const TOKEN_SECRET = 'test-secret-0123456789-abcdefghijklmnop';

export async function signUserToken(sub: string | undefined, expSeconds: number, secret = TOKEN_SECRET): Promise<string> {
  const jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime(expSeconds);
  if (sub !== undefined) jwt.setSubject(sub);
  return jwt.sign(new TextEncoder().encode(secret));
}

/** An API key made through the API, as an operator would. */
export async function createKey(server: TestServer, scopes: string[], name = 'test'): Promise<{ id: string; key: string }> {
  const res = await server.request<{ id: string; key: string }>('POST', '/v1/keys', { body: { name, scopes } });
  if (res.status !== 201) throw new Error(`creating a key answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function createJob(server: TestServer, body: Record<string, unknown> = {}, token?: string): Promise<Job> {
  const res = await server.request<Job>('POST', '/v1/jobs', { token, body: { type: 'test.job', ...body } });
  if (res.status !== 201) throw new Error(`creating a job answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

export interface ErrorAnswer {
  error: { code: string; message: string };
}

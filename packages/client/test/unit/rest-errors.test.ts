import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeadwayError } from '@headway/protocol';
import { createClient, HeadwayNetworkError } from '../../src/index.js';
import { startRecordingServer } from '../support/recording-server.js';

describe('REST errors become typed errors', () => {
  let server: Awaited<ReturnType<typeof startRecordingServer>>;
  beforeAll(async () => {
    server = await startRecordingServer((request) => {
      if (request.path.endsWith('/complete')) return { status: 409, body: { error: { code: 'ILLEGAL_TRANSITION', message: 'job x is paused', details: { status: 'paused' } } } };
      if (request.path.endsWith('/proxy')) return { status: 502, body: undefined };
      return undefined;
    });
  });
  afterAll(() => server.close());

  it('an error answer becomes a HeadwayError with the server code, message and details', async () => {
    const client = createClient({ url: server.url, token: 't' });
    const error = await client.complete('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HeadwayError);
    expect(error).toMatchObject({ code: 'ILLEGAL_TRANSITION', message: 'job x is paused', details: { status: 'paused' }, status: 409 });
  });

  it('an answer that is not ours still maps to a code by HTTP status', async () => {
    const client = createClient({ url: `${server.url}/`, token: 't' });
    const error = await client.getJob('x').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('no answer at all is a HeadwayNetworkError, not a HeadwayError', async () => {
    const closed = await startRecordingServer();
    await closed.close();
    const client = createClient({ url: closed.url, token: 't' });
    const error = await client.getJob('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HeadwayNetworkError);
    expect(error).not.toBeInstanceOf(HeadwayError);
    expect((error as Error).message).toContain(closed.url);
  });
});

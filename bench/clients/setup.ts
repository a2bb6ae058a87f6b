/** What the HTTP benches set up through the API before they measure: running jobs, a worker's key. */

/** Creates and starts `count` jobs of `type` (sequentially: the setup is not what is measured). */
export async function createRunningJobs(url: string, headers: Record<string, string>, count: number, type: string): Promise<string[]> {
  const json = { ...headers, 'content-type': 'application/json' };
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${url}/v1/jobs`, { method: 'POST', headers: json, body: JSON.stringify({ type, total: 1e9 }) });
    if (res.status !== 201) throw new Error(`creating a job answered ${res.status}: ${await res.text()}`);
    const job = (await res.json()) as { id: string };
    await fetch(`${url}/v1/jobs/${job.id}/start`, { method: 'POST', headers: json, body: '{}' });
    ids.push(job.id);
  }
  return ids;
}

/** Workers report with an API key of their own (jobs:write), as `headway keys create` makes one, not the admin key. */
export async function createWorkerKey(url: string, headers: Record<string, string>): Promise<string> {
  const res = await fetch(`${url}/v1/keys`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench-worker', scopes: ['jobs:write'] }) });
  if (res.status !== 201) throw new Error(`creating the worker key answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { key: string }).key;
}

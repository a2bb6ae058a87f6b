import { describe, expect, it } from 'vitest';
import { createdRange, filtersFromParams, liveFilterOf, paramsOfFilters } from '../src/views/jobs/filters';

describe('jobs filters in the URL', () => {
  it('round-trips every filter through the query string, omitting defaults', () => {
    const params = new URLSearchParams('status=running&type=import&owner=ana&tag=nightly&q=csv&from=2026-01-02&to=2026-01-03&sort=-updatedAt&page=3');
    const filters = filtersFromParams(params);
    expect(filters).toEqual({ status: 'running', type: 'import', owner: 'ana', tag: 'nightly', q: 'csv', from: '2026-01-02', to: '2026-01-03', sort: '-updatedAt', page: 3 });
    expect(paramsOfFilters(filters).toString()).toBe(params.toString());
    expect(paramsOfFilters(filtersFromParams(new URLSearchParams())).toString()).toBe('');
  });

  it('ignores values a hand-edited URL may carry that mean nothing', () => {
    expect(filtersFromParams(new URLSearchParams('status=bogus&sort=sideways&page=-2'))).toMatchObject({ status: '', sort: '-createdAt', page: 1 });
  });

  it('turns status groups into the statuses the live hook matches, and a user token into its channel', () => {
    const filters = filtersFromParams(new URLSearchParams('status=active&q=%20report%20'));
    expect(liveFilterOf(filters, 'ana')).toEqual({ user: 'ana', parentId: null, sort: '-createdAt', status: ['queued', 'running', 'paused'], q: 'report' });
  });

  it('covers whole local days in the date range', () => {
    const range = createdRange(filtersFromParams(new URLSearchParams('from=2026-03-01&to=2026-03-01')));
    expect(range.from).toBe(new Date(2026, 2, 1).getTime());
    expect(range.to).toBe(new Date(2026, 2, 2).getTime() - 1);
  });
});

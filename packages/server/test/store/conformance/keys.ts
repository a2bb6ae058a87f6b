import { expect, it } from 'vitest';
import type { ApiKeyRecord } from '../../../src/store/store.js';
import type { StoreContext } from '../conformance.js';

const key = (id: string, hash: string, createdAt: number): ApiKeyRecord => ({ id, name: `key ${id}`, hash, scopes: ['jobs:read', 'jobs:write'], createdAt, revokedAt: null });

export function keyTests(ctx: StoreContext): void {
  it('creates keys, finds them by hash, lists them oldest first and revokes them once', async () => {
    const keys = ctx.store().keys;
    await keys.create(key('k2', 'b'.repeat(64), 2_000));
    await keys.create(key('k1', 'a'.repeat(64), 1_000));
    expect(await keys.findByHash('a'.repeat(64))).toEqual(key('k1', 'a'.repeat(64), 1_000));
    expect(await keys.findByHash('c'.repeat(64))).toBeNull();
    expect((await keys.list()).map((k) => k.id)).toEqual(['k1', 'k2']);

    expect(await keys.revoke('k1', 3_000)).toBe(true);
    expect(await keys.revoke('k1', 4_000)).toBe(false);
    expect(await keys.revoke('missing', 4_000)).toBe(false);
    expect(await keys.findByHash('a'.repeat(64))).toMatchObject({ id: 'k1', revokedAt: 3_000 });
    expect(await keys.findByHash('b'.repeat(64))).toMatchObject({ id: 'k2', revokedAt: null });
  });

  it('rejects a second key with the same id or the same hash with CONFLICT', async () => {
    const keys = ctx.store().keys;
    await keys.create(key('k1', 'a'.repeat(64), 1_000));
    await expect(keys.create(key('k1', 'b'.repeat(64), 1_000))).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(keys.create(key('k2', 'a'.repeat(64), 1_000))).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await keys.list()).toHaveLength(1);
  });

  it('initSetting sets a value only once and always returns the stored one', async () => {
    const keys = ctx.store().keys;
    expect(await keys.getSetting('token_secret')).toBeNull();
    expect(await keys.initSetting('token_secret', 'first')).toBe('first');
    expect(await keys.initSetting('token_secret', 'second')).toBe('first');
    expect(await keys.getSetting('token_secret')).toBe('first');
    const other = await ctx.openSame();
    const raced = await Promise.all([keys.initSetting('node_id', 'x'), other.keys.initSetting('node_id', 'y')]);
    expect(raced[0]).toBe(raced[1]);
  });

  it('compareAndSetSetting sets a value only from the expected one, and one of two racing nodes wins', async () => {
    const keys = ctx.store().keys;
    expect(await keys.compareAndSetSetting('alerts.episodes.failing', 'x', 'y')).toBe(false);
    expect(await keys.getSetting('alerts.episodes.failing')).toBeNull();
    expect(await keys.compareAndSetSetting('alerts.episodes.failing', null, 'a')).toBe(true);
    expect(await keys.compareAndSetSetting('alerts.episodes.failing', null, 'b')).toBe(false);
    expect(await keys.compareAndSetSetting('alerts.episodes.failing', 'b', 'c')).toBe(false);
    expect(await keys.compareAndSetSetting('alerts.episodes.failing', 'a', 'c')).toBe(true);
    expect(await keys.getSetting('alerts.episodes.failing')).toBe('c');
    const other = await ctx.openSame();
    const raced = await Promise.all([keys.compareAndSetSetting('alerts.episodes.failing', 'c', 'd'), other.keys.compareAndSetSetting('alerts.episodes.failing', 'c', 'e')]);
    expect(raced.filter(Boolean)).toHaveLength(1);
    expect(await keys.getSetting('alerts.episodes.failing')).toBe(raced[0] ? 'd' : 'e');
  });
}

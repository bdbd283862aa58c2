import { describe, expect, it } from 'vitest';
import { deferred } from '@/utils/deferred.js';
import { useRequest } from './useRequest.js';

describe('useRequest', () => {
  it('tracks loading, data and error', async () => {
    const d = deferred();
    const r = useRequest(() => d.promise);
    const pending = r.run();
    expect(r.loading.value).toBe(true);
    d.resolve({ version: '0.1.0' });
    await expect(pending).resolves.toEqual({ version: '0.1.0' });
    expect(r.loading.value).toBe(false);
    expect(r.data.value).toEqual({ version: '0.1.0' });
    expect(r.error.value).toBeNull();
  });

  it('keeps the last data when a refresh fails, and never rejects', async () => {
    let fail = false;
    const r = useRequest(async () => {
      if (fail) throw new Error('down');
      return 1;
    });
    await r.run();
    fail = true;
    await expect(r.run()).resolves.toBeUndefined();
    expect(r.data.value).toBe(1);
    expect(/** @type {Error} */ (r.error.value).message).toBe('down');
  });

  it('lets only the latest call land', async () => {
    const first = deferred();
    const second = deferred();
    const answers = [first, second];
    const r = useRequest(() => /** @type {ReturnType<typeof deferred>} */ (answers.shift()).promise);
    const p1 = r.run();
    const p2 = r.run();
    second.resolve('new');
    await p2;
    first.resolve('old');
    await p1;
    expect(r.data.value).toBe('new');
    expect(r.loading.value).toBe(false);
  });
});

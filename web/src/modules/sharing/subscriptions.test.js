import { describe, expect, it } from 'vitest';
import { grantedResources, healthTagType, mayManage, purposesFor, urlProblem } from './subscriptions.js';

describe('subscriptions', () => {
  it('colours the delivery state', () => {
    expect(['ok', 'retrying', 'dead_letters', 'paused', 'cancelled', 'other'].map(healthTagType)).toEqual([
      'success',
      'warning',
      'danger',
      'info',
      'info',
      'info',
    ]);
  });

  it('takes https:// and http:// addresses, as the server does', () => {
    const rows = [
      ['http://127.0.0.1:8091/hook', ''],
      [' http://rsj.internal/changes ', ''],
      ['', 'required'],
      ['https://rsj.example.cn/hook', ''],
      ['HTTPS://[::1]:8443/hook', ''],
      ['https:///hook', 'scheme'],
      ['ftp://rsj.example.cn/hook', 'scheme'],
      ['rsj.example.cn/hook', 'scheme'],
      [`http://rsj.example.cn/${'a'.repeat(500)}`, 'length'],
    ];
    for (const [url, problem] of rows) expect(urlProblem(url), url).toBe(problem);
  });

  it('offers the purposes and resources of the grants in force', () => {
    const grants = [
      { resource: 'gaj.population', resource_name: '户籍人口', purpose: '参保核验', active: true },
      { resource: 'gaj.population', resource_name: '户籍人口', purpose: '参保核验', active: true },
      { resource: 'gaj.population', resource_name: '户籍人口', purpose: '就业登记', active: false },
      { resource: 'scjgj.enterprise', resource_name: '企业', purpose: '核对', active: true },
    ];
    expect(purposesFor(grants, 'gaj.population')).toEqual(['参保核验']);
    expect(grantedResources(grants)).toEqual([
      { value: 'gaj.population', label: '户籍人口' },
      { value: 'scjgj.enterprise', label: '企业' },
    ]);
  });

  it('lets only the subscribing department change a subscription', () => {
    const s = /** @type {any} */ ({ org: '330100-RSJ', state: 'active' });
    const can = (/** @type {string} */ p) => p === 'sharing.apply';
    expect(mayManage(s, { org: '330100-RSJ', can })).toBe(true);
    expect(mayManage(s, { org: '330100-GAJ', can })).toBe(false);
    expect(mayManage(s, { org: '330100-RSJ', can: () => false })).toBe(false);
    expect(mayManage({ ...s, state: 'cancelled' }, { org: '330100-RSJ', can })).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { buildOrgTree, orgMatches, orgTrail, subtreeIds } from './orgTree.js';

/** @param {number} id @param {number | null} parent @param {string} path @param {string} name */
const org = (id, parent, path, name, code = String(id)) => ({
  id,
  code,
  name,
  kind: 'government_department',
  parent_id: parent,
  path,
  depth: path.split('/').filter(Boolean).length - 1,
  division_code: null,
});

const items = [
  org(1, null, '/1/', '杭州市', '330100'),
  org(2, 1, '/1/2/', '西湖区人民政府', '330106'),
  org(5, 2, '/1/2/5/', '西溪街道', '330106001'),
  org(3, 1, '/1/3/', '市数据资源管理局', 'HZDRB'),
  org(4, 1, '/1/4/', '滨江区人民政府', '330108'),
];

/** @param {import('./orgTree.js').OrgNode[]} nodes @returns {unknown[]} */
const shape = (nodes) => nodes.map((n) => (n.children.length ? { [n.id]: shape(n.children) } : n.id));

describe('buildOrgTree', () => {
  it('nests organisations under their parents, keeping the list order', () => {
    const tree = buildOrgTree(items);
    expect(shape(tree)).toEqual([{ 1: [{ 2: [5] }, 3, 4] }]);
    expect(tree[0].name).toBe('杭州市');
    expect(tree[0].children[0].children[0]).toMatchObject({ code: '330106001', parent_id: 2 });
  });

  it('makes roots of organisations whose parent is not in the list', () => {
    // A search result, or a scope below the root.
    expect(shape(buildOrgTree([items[1], items[2], items[4]]))).toEqual([{ 2: [5] }, 4]);
    expect(buildOrgTree([])).toEqual([]);
  });

  it('does not loop on a cycle or a self-parent', () => {
    const cyclic = [org(7, 8, '/8/7/', 'a'), org(8, 7, '/7/8/', 'b'), org(9, 9, '/9/', 'c')];
    const tree = buildOrgTree(cyclic);
    const count = (/** @type {import('./orgTree.js').OrgNode[]} */ ns) => ns.reduce((n, x) => n + 1 + count(x.children), 0);
    expect(count(tree)).toBe(3);
  });

  it('does not change the items it is given', () => {
    const copy = structuredClone(items);
    buildOrgTree(items);
    expect(items).toEqual(copy);
  });
});

describe('org helpers', () => {
  it('lists an organisation and everything under it', () => {
    expect([...subtreeIds(items, items[1])].sort()).toEqual([2, 5]);
    expect(subtreeIds(items, items[0]).size).toBe(5);
    expect([...subtreeIds(items, items[4])]).toEqual([4]);
  });

  it('matches by name or code, ignoring case', () => {
    expect(orgMatches(items[1], '西湖')).toBe(true);
    expect(orgMatches(items[3], 'hzdrb')).toBe(true);
    expect(orgMatches(items[3], '  ')).toBe(true);
    expect(orgMatches(items[3], '西湖')).toBe(false);
  });

  it('names the way down from the root', () => {
    expect(orgTrail(items, items[2])).toBe('杭州市 / 西湖区人民政府 / 西溪街道');
  });
});

import { describe, expect, it } from 'vitest';
import { FACES, createNavigation, faceForPath } from './navigation.js';
import { modules, navigation } from './modules/index.js';
import zhCN from './i18n/zh-CN.js';
import en from './i18n/en.js';

const page = (over = {}) => ({
  path: '/workbench/cases',
  name: 'workbench-cases',
  face: 'workbench',
  component: () => Promise.resolve({}),
  nav: { area: 'cases' },
  ...over,
});

/** @param {object} tree @param {string} key */
const lookup = (tree, key) => key.split('.').reduce((node, part) => node?.[part], tree);

describe('navigation registry', () => {
  it('has the four faces, each with a title, summary and described areas in both languages', () => {
    expect(FACES.map((f) => f.key)).toEqual(['portal', 'workbench', 'cockpit', 'admin']);
    for (const face of FACES) {
      for (const messages of [zhCN, en]) {
        expect(lookup(messages, `faces.${face.key}.title`)).toBeTruthy();
        expect(lookup(messages, `faces.${face.key}.summary`)).toBeTruthy();
        for (const area of face.areas) {
          expect(lookup(messages, `faces.${face.key}.areas.${area}.title`), `${face.key}.${area}`).toBeTruthy();
          expect(lookup(messages, `faces.${face.key}.areas.${area}.description`)).toBeTruthy();
        }
      }
    }
  });

  it('registers only pages that exist: today the system status page', () => {
    expect(navigation.routes.map((r) => r.path)).toEqual(['/admin/status']);
    expect(navigation.menu('admin').map((e) => e.area)).toEqual(['status']);
    for (const face of ['portal', 'workbench', 'cockpit']) expect(navigation.menu(face)).toEqual([]);
    expect(navigation.plannedAreas('admin')).toEqual(['orgs', 'users', 'roles', 'audit']);
    expect(navigation.plannedAreas('portal')).toEqual(['services', 'report', 'openData', 'dataUse']);
  });

  it('gives every registered route a face, a module and a translated title', () => {
    for (const route of navigation.routes) {
      expect(route.meta?.face).toBeTruthy();
      expect(route.meta?.module).toBeTruthy();
      for (const messages of [zhCN, en]) expect(lookup(messages, String(route.meta?.title))).toBeTruthy();
    }
    expect(modules.length).toBeGreaterThan(0);
  });

  it('orders menu entries by the face’s areas, then by order', () => {
    const nav = createNavigation([
      {
        name: 'mixed',
        pages: [
          page({ path: '/workbench/x', name: 'x', nav: { area: 'extra', order: 2 } }),
          page({ path: '/workbench/sharing', name: 's', nav: { area: 'sharing' } }),
          page({ path: '/workbench/tasks', name: 't', nav: { area: 'tasks' } }),
          page({ path: '/workbench/y', name: 'y', nav: { area: 'another', order: 1 } }),
        ],
      },
    ]);
    expect(nav.menu('workbench').map((e) => e.area)).toEqual(['tasks', 'sharing', 'another', 'extra']);
    expect(nav.plannedAreas('workbench')).toEqual(['applications', 'cases', 'catalog']);
  });

  it('routes pages without nav, highlighting their activeMenu', () => {
    const nav = createNavigation([
      {
        name: 'cases',
        pages: [
          page(),
          page({ path: '/workbench/cases/:id', name: 'workbench-case', nav: undefined, activeMenu: '/workbench/cases', title: 'cases.detail' }),
        ],
      },
    ]);
    expect(nav.menu('workbench')).toHaveLength(1);
    const detail = nav.routes.find((r) => r.name === 'workbench-case');
    expect(detail?.meta).toMatchObject({ face: 'workbench', module: 'cases', activeMenu: '/workbench/cases', title: 'cases.detail' });
    const list = nav.routes.find((r) => r.name === 'workbench-cases');
    expect(list?.meta).toMatchObject({ activeMenu: '/workbench/cases', title: 'faces.workbench.areas.cases.title' });
  });

  it.each([
    ['an unknown face', page({ face: 'nowhere' }), /unknown face/],
    ['a path outside its face', page({ path: '/portal/cases' }), /must lie under "\/workbench\/"/],
    ['a missing name', page({ name: '' }), /missing route name/],
    ['an eager component', page({ component: {} }), /lazy import/],
    ['a menu page with parameters', page({ path: '/workbench/cases/:id' }), /path parameters/],
  ])('rejects %s', (_what, bad, message) => {
    expect(() => createNavigation([{ name: 'm', pages: [bad] }])).toThrow(message);
  });

  it('rejects duplicate names, paths and areas', () => {
    expect(() => createNavigation([{ name: 'a', pages: [page()] }, { name: 'b', pages: [page({ path: '/workbench/z' })] }])).toThrow(
      /route name "workbench-cases" is taken/,
    );
    expect(() => createNavigation([{ name: 'a', pages: [page(), page({ name: 'other' })] }])).toThrow(/is taken/);
    expect(() =>
      createNavigation([{ name: 'a', pages: [page(), page({ name: 'other', path: '/workbench/cases2' })] }]),
    ).toThrow(/area "cases" of face "workbench" already has a page/);
  });

  it('finds the face of a path by prefix', () => {
    expect(faceForPath('/admin')?.key).toBe('admin');
    expect(faceForPath('/admin/users/7')?.key).toBe('admin');
    expect(faceForPath('/administrator')).toBeUndefined();
    expect(faceForPath('/nowhere')).toBeUndefined();
  });
});

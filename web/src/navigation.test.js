import { describe, expect, it } from 'vitest';
import { FACES, canUsePage, createNavigation, faceForPath, permissionList, visibleEntries } from './navigation.js';
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

  it('registers only pages that exist: the status page, the identity pages, the audit page and the catalog', () => {
    expect(navigation.routes.map((r) => r.path)).toEqual([
      '/admin/status',
      '/admin/orgs',
      '/admin/users',
      '/admin/roles',
      '/admin/clients',
      '/admin/logins',
      '/admin/online',
      '/admin/audit',
      '/workbench/catalog',
      '/workbench/catalog/quality',
      '/workbench/catalog/:code/quality',
      '/workbench/catalog/discrepancies',
      '/workbench/catalog/new',
      '/workbench/catalog/:code',
      '/workbench/catalog/:code/edit',
      '/workbench/catalog/:code/imports',
      '/workbench/sharing',
      '/workbench/grants',
      '/workbench/subscriptions',
      '/portal/data-use',
    ]);
    expect(navigation.menu('admin').map((e) => e.area)).toEqual(['orgs', 'users', 'roles', 'clients', 'logins', 'online', 'audit', 'status']);
    expect(navigation.menu('cockpit')).toEqual([]);
    expect(navigation.menu('portal').map((e) => [e.path, e.requiresAuth])).toEqual([['/portal/data-use', true]]);
    expect(navigation.menu('workbench').map((e) => e.area)).toEqual(['catalog', 'quality', 'discrepancies', 'sharing', 'grants', 'subscriptions']);
    expect(navigation.plannedAreas('admin')).toEqual([]);
    expect(navigation.plannedAreas('workbench')).toEqual(['tasks', 'applications', 'cases']);
    expect(navigation.plannedAreas('portal')).toEqual(['services', 'report', 'openData']);
    expect(navigation.shellRoutes.map((r) => r.name)).toEqual([
      'login',
      'account',
      'account-password',
      'enterprise',
      'represented-enterprises',
    ]);
  });

  it('gives the identity, audit, catalog and sharing pages the permission that shows them', () => {
    const byArea = Object.fromEntries(navigation.menu('admin').map((e) => [e.area, e.permissions]));
    expect(byArea).toEqual({
      orgs: ['org.read'],
      users: ['user.read'],
      roles: ['grant.manage'],
      clients: ['client.manage'],
      logins: ['login_log.read'],
      online: ['session.manage'],
      audit: ['audit.read'],
      status: [],
    });
    const audit = navigation.routes.find((r) => r.name === 'admin-audit');
    expect(audit?.meta).toMatchObject({ module: 'audit', title: 'audit.title', requiresAuth: true });
    expect(navigation.menu('workbench')[0]).toMatchObject({ path: '/workbench/catalog', permissions: ['catalog.resource.read'] });
    const catalogPages = navigation.routes.filter((r) => r.meta?.module === 'catalog');
    expect(Object.fromEntries(catalogPages.map((r) => [r.name, r.meta?.permission]))).toEqual({
      'workbench-catalog': ['catalog.resource.read'],
      'workbench-catalog-new': ['catalog.resource.edit'],
      'workbench-catalog-resource': ['catalog.resource.read'],
      'workbench-catalog-edit': ['catalog.resource.edit'],
      'workbench-catalog-imports': ['catalog.resource.edit', 'catalog.resource.publish'],
      'workbench-quality': ['catalog.resource.read'],
      'workbench-catalog-quality': ['catalog.resource.read'],
      'workbench-discrepancies': ['catalog.resource.read'],
    });
    for (const r of catalogPages)
      expect(r.meta?.activeMenu).toBe(
        r.name.endsWith('quality') ? '/workbench/catalog/quality' : r.name === 'workbench-discrepancies' ? '/workbench/catalog/discrepancies' : '/workbench/catalog',
      );
    const sharing = ['sharing.apply', 'sharing.review', 'sharing.oversee'];
    expect(navigation.menu('workbench').slice(3).map((e) => [e.path, e.permissions])).toEqual([
      ['/workbench/sharing', sharing],
      ['/workbench/grants', sharing],
      ['/workbench/subscriptions', ['sharing.apply', 'sharing.oversee']],
    ]);
    expect(navigation.routes.find((r) => r.name === 'data-use')?.meta).toMatchObject({ requiresAuth: true, module: 'sharing', face: 'portal' });
    const account = navigation.shellRoutes.find((r) => r.name === 'account');
    expect(account?.meta).toMatchObject({ requiresAuth: true, title: 'identity.account.title' });
    expect(navigation.shellRoutes.find((r) => r.name === 'login')?.meta?.requiresAuth).toBe(false);
  });

  it('gives every registered route a face, a module and a translated title', () => {
    for (const route of navigation.shellRoutes) {
      for (const messages of [zhCN, en]) expect(lookup(messages, String(route.meta?.title))).toBeTruthy();
    }
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
    expect(nav.plannedAreas('workbench')).toEqual(['applications', 'cases', 'catalog', 'quality', 'discrepancies', 'grants', 'subscriptions']);
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

  it('rejects shell pages under a face, without a title, or taking a face page’s name', () => {
    const shell = (over = {}) => ({ path: '/help', name: 'help', title: 'help.title', component: () => Promise.resolve({}), ...over });
    expect(createNavigation([{ name: 'm', pages: [], shellPages: [shell()] }]).shellRoutes[0].meta).toMatchObject({
      module: 'm',
      title: 'help.title',
      requiresAuth: false,
    });
    expect(() => createNavigation([{ name: 'm', pages: [], shellPages: [shell({ path: '/admin/help' })] }])).toThrow(
      /lies under a face/,
    );
    expect(() => createNavigation([{ name: 'm', pages: [], shellPages: [shell({ title: '' })] }])).toThrow(/missing title/);
    expect(() => createNavigation([{ name: 'm', pages: [page({ name: 'help' })], shellPages: [shell()] }])).toThrow(
      /route name "help" is taken/,
    );
  });
});

describe('navigation by permission', () => {
  const nav = createNavigation([
    {
      name: 'm',
      pages: [
        page({ path: '/admin/open', name: 'open', face: 'admin', nav: { area: 'status' } }),
        page({ path: '/admin/people', name: 'people', face: 'admin', nav: { area: 'users' }, permission: 'user.read' }),
        page({ path: '/admin/rules', name: 'rules', face: 'admin', nav: { area: 'roles' }, permission: ['grant.manage', 'role.manage'] }),
        page({ path: '/admin/mine', name: 'mine', face: 'admin', nav: { area: 'mine' }, requiresAuth: true }),
      ],
    },
  ]);
  const areas = (/** @type {import('./navigation.js').Access} */ access) =>
    visibleEntries(nav.menu('admin'), access).map((e) => e.area);

  it('shows a visitor only the pages that need no session', () => {
    expect(areas({ signedIn: false, permissions: [] })).toEqual(['status']);
    // Permissions without a session do not count (a stale list after sign-out).
    expect(areas({ signedIn: false, permissions: ['user.read'] })).toEqual(['status']);
  });

  it('shows a signed-in user the pages of the permissions they hold', () => {
    expect(areas({ signedIn: true, permissions: [] })).toEqual(['status', 'mine']);
    expect(areas({ signedIn: true, permissions: ['user.read'] })).toEqual(['users', 'status', 'mine']);
    expect(areas({ signedIn: true, permissions: ['role.manage'] })).toEqual(['roles', 'status', 'mine']);
    expect(areas({ signedIn: true, permissions: ['audit.read', 'audit.export'] })).toEqual(['status', 'mine']);
  });

  it('puts the permission and session need into route meta', () => {
    const people = nav.routes.find((r) => r.name === 'people');
    expect(people?.meta).toMatchObject({ permission: ['user.read'], requiresAuth: true });
    const open = nav.routes.find((r) => r.name === 'open');
    expect(open?.meta).toMatchObject({ permission: [], requiresAuth: false });
    expect(canUsePage(people?.meta ?? {}, { signedIn: true, permissions: ['user.read'] })).toBe(true);
    expect(canUsePage(people?.meta ?? {}, { signedIn: true, permissions: ['org.read'] })).toBe(false);
  });

  it('reads a permission as a list', () => {
    expect(permissionList(undefined)).toEqual([]);
    expect(permissionList('org.read')).toEqual(['org.read']);
    expect(permissionList(['a', '', 'b'])).toEqual(['a', 'b']);
  });

  it('shows the audit administrator the audit page and none of the identity admin pages', () => {
    const audit = { signedIn: true, permissions: ['audit.export', 'audit.read'] };
    expect(visibleEntries(navigation.menu('admin'), audit).map((e) => e.area)).toEqual(['audit', 'status']);
    const security = { signedIn: true, permissions: ['client.manage', 'grant.manage', 'org.read', 'role.manage', 'user.read'] };
    expect(visibleEntries(navigation.menu('admin'), security).map((e) => e.area)).toEqual(['orgs', 'users', 'roles', 'clients', 'status']);
  });
});

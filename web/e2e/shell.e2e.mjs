// The shell's navigation: faces in the header, each face's side menu built from the
// registry, and the narrow-screen drawer.
import assert from 'node:assert/strict';
import { e2e, expectPath, expectText } from './harness.mjs';

e2e('faces switch from the header and the side menu lists only built pages', async ({ page, server }) => {
  await page.goto(server.url('/portal'));
  for (const [face, title] of [
    ['workbench', '工作台'],
    ['cockpit', '驾驶舱'],
    ['admin', '管理'],
  ]) {
    await page.getByTestId(`face-${face}`).click();
    await expectPath(page, `/${face}`);
    await expectText(page.getByTestId('page-title'), title);
  }

  // The admin face, signed out: its overview lists the status page as available; the
  // identity and audit pages exist but need a sign-in, so they are not offered, and
  // nothing is left to come.
  await page.getByTestId('face-entry-status').waitFor();
  assert.equal(await page.getByTestId('face-planned').count(), 0);
  for (const area of ['orgs', 'users', 'roles', 'logins', 'online', 'audit']) {
    assert.equal(await page.getByTestId(`face-planned-${area}`).count(), 0, area);
    assert.equal(await page.getByTestId(`face-entry-${area}`).count(), 0, area);
  }
  await page.getByTestId('face-sign-in-hint').waitFor();
  await page.getByTestId('sign-in').waitFor();
  const sideItems = page.locator('.shell__aside [data-testid^="side-nav-"]');
  assert.deepEqual(await sideItems.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid'))), [
    'side-nav-overview',
    'side-nav-admin-status',
  ]);

  await page.getByTestId('side-nav-admin-status').click();
  await expectPath(page, '/admin/status');
  await expectText(page.getByTestId('page-title'), '系统状态');

  // A mistyped path under a face keeps that face's menu around the 404.
  await page.goto(server.url('/admin/nothing-here'));
  await page.getByTestId('not-found').waitFor();
  await page.getByTestId('side-nav-admin-status').waitFor();
});

e2e(
  'on a narrow screen faces and the side menu open from a drawer',
  { viewport: { width: 390, height: 800 } },
  async ({ page, server }) => {
    await page.goto(server.url('/portal'));
    await expectText(page.getByTestId('page-title'), '门户');
    assert.equal(await page.locator('.shell__aside').isVisible(), false);
    assert.equal(await page.getByTestId('face-admin').isVisible(), false);

    await page.getByTestId('nav-toggle').click();
    await page.getByTestId('drawer-face-admin').click();
    await expectPath(page, '/admin');
    await expectText(page.getByTestId('page-title'), '管理');

    await page.getByTestId('nav-toggle').click();
    await page.locator('.el-drawer [data-testid="side-nav-admin-status"]').click();
    await expectPath(page, '/admin/status');
    await expectText(page.getByTestId('page-title'), '系统状态');
  },
);

// The system status page against the real server, in both languages; plus the shell's
// entry point and its 404 page.
import assert from 'node:assert/strict';
import { e2e, expectPath, expectText } from './harness.mjs';

e2e('system status page shows what the server reports', async ({ page, server }) => {
  const info = await server.getJson('/api/system/info');
  assert.equal(info.status, 200);
  assert.equal(typeof info.body.version, 'string');

  await page.goto(server.url('/admin/status'));
  await expectText(page.getByTestId('page-title'), '系统状态');
  await expectText(page.getByTestId('status-version'), info.body.version);
  await expectText(page.getByTestId('status-commit'), info.body.commit);
  await expectText(page.getByTestId('status-build-type'), info.body.build_type);
  await expectText(page.getByTestId('status-database-kind'), 'sqlite');
  await expectText(page.getByTestId('status-time-zone'), info.body.time_zone);
  for (const name of info.body.modules) {
    await expectText(page.getByTestId(`status-module-${name}`), name);
  }
  assert.equal(await page.getByTestId('status-health').getAttribute('data-state'), 'ok');
  await expectText(page.getByTestId('status-health'), '正常');
  assert.equal(await page.getByTestId('status-readiness').getAttribute('data-state'), 'ok');
  assert.equal(await page.getByTestId('status-database-state').getAttribute('data-state'), 'ok');
  assert.equal(await page.getByTestId('status-error').count(), 0);
  assert.match(await page.title(), /^系统状态 · 政务/);

  // The side menu marks the page, the refresh button reloads without errors.
  assert.match((await page.getByTestId('side-nav-admin-status').getAttribute('class')) ?? '', /is-active/);
  await page.getByTestId('status-refresh').click();
  await expectText(page.getByTestId('status-version'), info.body.version);

  // English, remembered across a reload.
  await page.getByTestId('locale-switch').click();
  await page.getByTestId('locale-option-en').click();
  await expectText(page.getByTestId('page-title'), 'System status');
  await expectText(page.getByTestId('status-health'), 'OK');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await page.reload();
  await expectText(page.getByTestId('page-title'), 'System status');
  await expectText(page.getByTestId('app-name'), /^Zhengwu/);
  assert.match(await page.title(), /^System status · Zhengwu/);
});

e2e('the root opens the portal, and unknown paths show the 404 page', async ({ page, server }) => {
  await page.goto(server.url('/'));
  await expectPath(page, '/portal');
  await expectText(page.getByTestId('page-title'), '门户');
  await expectText(page.getByTestId('app-name'), /政务\s*·\s*杭州市智慧政务平台/);
  // Nothing of the portal exists yet: it says so, and lists what is coming.
  await page.getByTestId('face-none-available').waitFor();
  await expectText(page.getByTestId('face-planned-services').locator('strong'), '办事服务');

  await page.goto(server.url('/no/such/page'));
  await page.getByTestId('not-found').waitFor();
  await expectText(page.getByTestId('page-title'), '404 · 页面不存在');
  await page.getByTestId('not-found-home').click();
  await expectPath(page, '/portal');
});

// The audit trail in the browser, end to end: what the system and security administrators
// do (a new account, a role granted, a second administrator role refused by 三权分立) is
// recorded, and the audit administrator finds it on 审计, sees the chain intact, and
// downloads the export.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { e2e, expectPath, expectText } from './harness.mjs';
import { CITY, FAST_HASHING, allowRefusal, pickOption, pickOrg, signIn, signOut, userAdd } from './identity-helpers.mjs';

const env = { ...FAST_HASHING };
const SYSADMIN = userAdd('sysadmin', 'Sys#Admin2026', { role: 'sys_admin', org: '330100', displayName: '王系统' });
const SECADMIN = userAdd('secadmin', 'Sec#Admin2026', { role: 'sec_admin', org: '330100', displayName: '李安全' });
const AUDITADMIN = userAdd('auditadmin', 'Aud#Admin2026', { role: 'audit_admin', org: '330100', displayName: '赵审计' });

/**
 * @typedef {Object} Row  one record as the audit table shows it
 * @property {number} seq
 * @property {string} action  the action code (data-action)
 * @property {string} outcome  (data-outcome)
 * @property {string} actor  the actor cell's text
 */

/** @param {import('playwright-core').Page} page @returns {Promise<Row[]>} */
function rows(page) {
  return page.locator('[data-testid="audit-table"] .el-table__body > tbody > tr.el-table__row').evaluateAll((trs) =>
    trs.map((tr) => {
      const action = tr.querySelector('[data-testid^="audit-action-"]');
      return {
        seq: Number(action?.getAttribute('data-testid')?.replace('audit-action-', '')),
        action: action?.getAttribute('data-action') ?? '',
        outcome: tr.querySelector('[data-testid^="audit-outcome-"]')?.getAttribute('data-outcome') ?? '',
        actor: /** @type {HTMLElement | null} */ (tr.querySelector('[data-testid^="audit-actor-"]'))?.innerText.replace(/\s+/g, ' ').trim() ?? '',
      };
    }),
  );
}

/**
 * Runs `act` and waits for the audit records it asks for, and for the table to show them.
 * @param {import('playwright-core').Page} page
 * @param {(url: URL) => boolean} matches  the records request expected
 * @param {() => Promise<unknown>} act
 * @returns {Promise<{url: URL, rows: Row[]}>}
 */
async function searchRecords(page, matches, act) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => {
      const url = new URL(r.url());
      return url.pathname === '/api/audit/records' && matches(url);
    }),
    act(),
  ]);
  assert.equal(response.status(), 200, `${response.url()} answered ${response.status()}`);
  const body = await response.json();
  const expected = body.items.map((/** @type {{seq: number}} */ r) => r.seq);
  // The table has rendered this answer when it shows exactly its records.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const shown = await rows(page);
    if (JSON.stringify(shown.map((r) => r.seq)) === JSON.stringify(expected)) return { url: new URL(response.url()), rows: shown };
    if (Date.now() > deadline) assert.fail(`the table shows ${JSON.stringify(shown)}, the answer had ${JSON.stringify(expected)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

e2e(
  'the audit administrator finds the administrators’ actions, sees the chain intact and exports the records',
  { env, setup: [CITY, SYSADMIN, SECADMIN, AUDITADMIN], timeout: 180_000 },
  async ({ page, server, browser }) => {
    // The system administrator creates an account through the 用户 page.
    await signIn(page, server, 'sysadmin', 'Sys#Admin2026');
    assert.equal(await page.getByTestId('side-nav-admin-audit').count(), 0, 'the audit page is not for the system administrator');
    await page.getByTestId('side-nav-admin-users').click();
    await expectPath(page, '/admin/users');
    await page.getByTestId('user-sysadmin').waitFor();
    await page.getByTestId('users-create').click();
    await page.getByTestId('user-form-username').fill('zhaoyun');
    await page.getByTestId('user-form-display-name').fill('赵云');
    await pickOrg(page, 'user-form-org', 'user-form', '杭州市');
    await page.getByTestId('user-form-position').fill('科员');
    await page.getByTestId('user-form-password').fill('Zhao#Yun2026');
    await page.getByTestId('user-form-submit').click();
    await page.getByTestId('user-zhaoyun').waitFor();
    await signOut(page);

    // The security administrator grants the account a role, then tries a second
    // administrator role: 三权分立 refuses it.
    await signIn(page, server, 'secadmin', 'Sec#Admin2026');
    await page.getByTestId('side-nav-admin-users').click();
    await page.getByTestId('user-grants-zhaoyun').click();
    await pickOption(page, 'grant-role', 'grant-role-popper', '审计管理员');
    await page.getByTestId('grant-submit').click();
    await page.getByTestId('grant-audit_admin-330100').waitFor();
    allowRefusal(browser, 409, '/api/users/\\d+/grants');
    await pickOption(page, 'grant-role', 'grant-role-popper', '系统管理员');
    await page.getByTestId('grant-submit').click();
    await expectText(page.getByTestId('grant-separation').locator('.el-alert__title'), /三权分立/);
    assert.equal(await page.getByTestId('grant-sys_admin-330100').count(), 0);
    await page.keyboard.press('Escape');
    await page.getByTestId('grant-submit').waitFor({ state: 'hidden' });
    await signOut(page);

    // The audit administrator opens 审计.
    await signIn(page, server, 'auditadmin', 'Aud#Admin2026');
    await expectPath(page, '/admin');
    await page.getByTestId('face-entry-audit').waitFor();
    await page.getByTestId('side-nav-admin-audit').click();
    await expectPath(page, '/admin/audit');
    await expectText(page.getByTestId('page-title'), '审计查询');

    // The chain is intact.
    await page.locator('[data-testid="audit-chain"][data-state="ok"]').waitFor();
    await expectText(page.getByTestId('audit-chain-status'), '完整');
    const checked = Number(await page.getByTestId('audit-chain-records').getAttribute('data-records'));
    assert.ok(checked >= 8, `the chain holds the sign-ins and the administrators' actions (${checked} records)`);

    // user.create, chosen from the suggestions: the system administrator's record.
    await page.getByTestId('audit-filter-action').fill('user.cr');
    const created = await searchRecords(
      page,
      (url) => url.searchParams.get('action') === 'user.create',
      () => page.locator('.audit-action-popper li:visible', { hasText: '新建用户' }).click(),
    );
    assert.equal(created.rows.length, 1, JSON.stringify(created.rows));
    const [record] = created.rows;
    assert.deepEqual([record.action, record.outcome], ['user.create', 'success']);
    assert.match(record.actor, /^sysadmin 330100$/);
    await expectText(page.getByTestId(`audit-action-${record.seq}`).locator('.audit__name'), '新建用户');
    await expectText(page.getByTestId(`audit-outcome-${record.seq}`), '成功');

    // Its details and hashes, in the row's expansion.
    await page.locator('[data-testid="audit-table"] .el-table__expand-icon').first().click();
    await page.getByTestId(`audit-detail-${record.seq}`).waitFor();
    await expectText(page.getByTestId(`audit-details-${record.seq}`), /POST\s*route\s*\/api\/users\s*status\s*201/);
    await expectText(page.getByTestId(`audit-hash-${record.seq}`), /^[0-9a-f]{64}$/);
    await expectText(page.getByTestId(`audit-prev-hash-${record.seq}`), /^[0-9a-f]{64}$/);

    // grant.create, typed and sent with Enter: the granted role and the refused one.
    const actionInput = page.getByTestId('audit-filter-action');
    await actionInput.fill('grant.create');
    const grants = await searchRecords(
      page,
      (url) => url.searchParams.get('action') === 'grant.create',
      () => actionInput.press('Enter'),
    );
    assert.deepEqual(
      grants.rows.map((r) => [r.action, r.outcome, r.actor]),
      [
        ['grant.create', 'failure', 'secadmin 330100'],
        ['grant.create', 'success', 'secadmin 330100'],
      ],
    );
    await expectText(page.getByTestId(`audit-outcome-${grants.rows[0].seq}`), '失败');
    assert.match((await page.getByTestId(`audit-outcome-${grants.rows[0].seq}`).getAttribute('class')) ?? '', /el-tag--danger/);
    assert.match((await page.getByTestId(`audit-outcome-${grants.rows[1].seq}`).getAttribute('class')) ?? '', /el-tag--success/);

    // Only the refusal, with the outcome filter; and within the last hour, picked in
    // platform time and sent with its offset.
    await pickOption(page, 'audit-filter-outcome', 'audit-outcome-popper', '失败');
    await page.getByTestId('audit-filter-range').locator('input').first().click();
    await page.locator('.audit-range-popper .el-picker-panel__shortcut:visible', { hasText: '最近 1 小时' }).click();
    const refused = await searchRecords(
      page,
      (url) => url.searchParams.get('outcome') === 'failure',
      () => page.getByTestId('audit-search').click(),
    );
    assert.deepEqual(
      refused.rows.map((r) => [r.action, r.outcome]),
      [['grant.create', 'failure']],
    );
    assert.match(refused.url.searchParams.get('from') ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    assert.match(refused.url.searchParams.get('to') ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    assert.ok(Date.parse(refused.url.searchParams.get('to') ?? '') - Date.parse(refused.url.searchParams.get('from') ?? '') <= 3_601_000);

    // Nothing of the kind: the empty state.
    await actionInput.fill('org.create');
    const none = await searchRecords(
      page,
      (url) => url.searchParams.get('action') === 'org.create',
      () => actionInput.press('Enter'),
    );
    assert.deepEqual(none.rows, []);
    await page.getByTestId('audit-empty').waitFor();

    // Checked again, the chain is still intact and longer (the searches were recorded).
    await page.getByTestId('audit-chain-recheck').click();
    await page.waitForFunction(
      (before) => Number(document.querySelector('[data-testid="audit-chain-records"]')?.getAttribute('data-records')) > before,
      checked,
    );
    await expectText(page.getByTestId('audit-chain-status'), '完整');

    // The CSV export of all records, downloaded with the session's token.
    await searchRecords(page, (url) => !url.searchParams.has('action'), () => page.getByTestId('audit-reset').click());
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export-csv').click()]);
    assert.match(download.suggestedFilename(), /^audit-\d{8}-\d{6}\.csv$/);
    const csv = await readFile(/** @type {string} */ (await download.path()));
    assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with BOM');
    const text = csv.subarray(3).toString('utf8');
    assert.match(text, /^seq,time,time_ms,actor_kind,actor_id,actor_name,actor_org,action,/);
    assert.match(text, /,sysadmin,330100,user\.create,/);
    assert.match(text, /,secadmin,330100,grant\.create,.*,failure,/);

    // The export itself is on the record.
    await actionInput.fill('audit.export');
    const exported = await searchRecords(
      page,
      (url) => url.searchParams.get('action') === 'audit.export',
      () => actionInput.press('Enter'),
    );
    assert.deepEqual(
      exported.rows.map((r) => [r.action, r.outcome, r.actor]),
      [['audit.export', 'success', 'auditadmin 330100']],
    );

    // In English, the labels follow.
    await page.getByTestId('locale-switch').click();
    await page.getByTestId('locale-option-en').click();
    await expectText(page.getByTestId('page-title'), 'Audit log');
    await expectText(page.getByTestId(`audit-action-${exported.rows[0].seq}`).locator('.audit__name'), 'Export audit records');
    await expectText(page.getByTestId('audit-chain-status'), 'Intact');
  },
);

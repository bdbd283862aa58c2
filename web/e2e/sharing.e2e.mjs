// Sharing in the browser, end to end, on the seeded Hangzhou demo: the 民政局 clerk asks
// for 户籍人口基本信息 (公安, conditional sharing) from the resource's page with a new
// purpose, sees the application pending with the day 公安 must answer by; the 公安 head
// opens 待我审批 and approves it with fewer fields than asked; the clerk then finds the
// grant among 本部门获得的授权 with only the kept fields, the clear one marked 明文; last,
// 公安 revokes the grant with a reason.
import assert from 'node:assert/strict';
import { e2e, expectPath, expectText } from './harness.mjs';
import { FAST_HASHING, signIn, signOut } from './identity-helpers.mjs';

const env = { ...FAST_HASHING };
const DEMO = ['demo', '--seed-only'];
const CLERK = ['mzj.clerk', 'Demo#Clerk2026'];
const HEAD = ['gaj.head', 'Demo#Head2026'];
const CODE = 'gaj.population';
const NAME = '户籍人口基本信息';
const PURPOSE = '低保复核入户调查';
const BASIS = '《社会救助暂行办法》第十一条';
const ASKED = ['id_number', 'name', 'household_division', 'address', 'phone'];
const KEPT = ['id_number', 'name', 'household_division'];
const REVOKE_REASON = '入户调查已结束，收回授权。';

e2e(
  'a department applies for another’s resource, the provider approves fewer fields, the grant holds only those, and the provider revokes it',
  { env, setup: [DEMO], timeout: 180_000 },
  async ({ page, server }) => {
    // ---- the 民政局 clerk applies from the resource's page ----
    await signIn(page, server, ...CLERK);
    await page.getByTestId('face-workbench').click();
    await page.getByTestId('side-nav-workbench-catalog').click();
    await page.getByTestId(`catalog-open-${CODE}`).click();
    await expectPath(page, `/workbench/catalog/${CODE}`);
    await expectText(page.getByTestId('page-title'), NAME);
    await page.getByTestId('resource-apply').click();

    const dialog = page.getByTestId('apply-dialog');
    await dialog.waitFor();
    await expectText(page.getByTestId('apply-mode-hint'), /有条件共享/);
    for (const f of ASKED) await page.getByTestId(`apply-field-${f}`).click();
    // Only the personal fields chosen may be asked in clear; 户籍所在地 is internal.
    await page.getByTestId('apply-clear-name').waitFor();
    assert.equal(await page.getByTestId('apply-clear-household_division').count(), 0);
    await page.getByTestId('apply-clear-name').click();
    await page.getByTestId('apply-purpose').fill(PURPOSE);
    // Conditional sharing needs the legal basis: the form says so before sending.
    await page.getByTestId('apply-submit').click();
    await expectText(dialog.locator('.el-form-item.is-error .el-form-item__error'), /法律依据/);
    await page.getByTestId('apply-legal-basis').fill(BASIS);
    await page.getByTestId('apply-submit').click();

    const outcome = page.getByTestId('apply-outcome');
    await outcome.waitFor();
    assert.equal(await outcome.getAttribute('data-outcome'), 'pending');
    const due = ((await page.getByTestId('apply-outcome-due').textContent()) ?? '').trim();
    assert.match(due, /^\d{4}-\d{2}-\d{2}$/);

    // 我的申请 lists it, pending, with its due day and working days left.
    await page.getByTestId('apply-outcome-open').click();
    await expectPath(page, '/workbench/sharing?tab=consumer');
    const row = page.locator(`[data-testid^="app-row-"][data-purpose="${PURPOSE}"]`);
    await row.waitFor();
    const id = ((await row.getAttribute('data-testid')) ?? '').replace('app-row-', '');
    assert.match(id, /^\d+$/);
    await page.locator(`[data-testid="app-state-${id}"][data-state="pending"]`).waitFor();
    await expectText(page.getByTestId(`app-due-${id}`), due);
    assert.equal(await page.getByTestId(`app-due-${id}`).getAttribute('data-deadline'), 'on_time');
    await expectText(page.getByTestId(`app-left-${id}`), /剩余 \d+ 个工作日/);
    assert.equal(await page.getByTestId(`app-fields-${id}-name`).getAttribute('data-clear'), 'true');
    assert.equal(await page.getByTestId(`app-fields-${id}-address`).getAttribute('data-clear'), 'false');
    // The demo's overdue application to 公积金中心 is marked as escalated.
    await page.locator('[data-testid^="app-escalated-"]').first().waitFor();
    // A clerk does not decide, and does not see the reviewers' tab.
    assert.equal(await page.getByTestId(`app-decide-${id}`).count(), 0);
    assert.equal(await page.getByTestId('sharing-tab-provider').count(), 0);
    await page.getByTestId(`app-withdraw-${id}`).waitFor();
    await signOut(page);

    // ---- the 公安局 head approves fewer fields ----
    await signIn(page, server, ...HEAD);
    await page.goto(server.url('/workbench'));
    await page.getByTestId('side-nav-workbench-sharing').click();
    await expectPath(page, '/workbench/sharing');
    await page.getByTestId('sharing-tab-provider').click();
    await expectPath(page, '/workbench/sharing?tab=provider');
    await expectText(page.getByTestId(`app-consumer-${id}`), '杭州市民政局');
    await expectText(page.getByTestId(`app-purpose-${id}`), PURPOSE);
    await page.getByTestId(`app-decide-${id}`).click();
    const decide = page.getByTestId('decide-dialog');
    await decide.waitFor();
    // Every field asked is ticked at first; untick 住址 and 联系电话.
    for (const f of ASKED) assert.ok(await page.getByTestId(`decide-field-${f}`).locator('input').isChecked(), f);
    await page.getByTestId('decide-field-address').click();
    await page.getByTestId('decide-field-phone').click();
    await expectText(page.getByTestId('decide-fewer'), /5 个信息项中的 3 个/);
    assert.ok(await page.getByTestId('decide-clear-name').locator('input').isChecked());
    await page.getByTestId('decide-note').fill('入户调查只需核对身份和户籍地，住址和联系电话不予提供。');
    await page.getByTestId('decide-confirm').click();
    await decide.waitFor({ state: 'hidden' });
    // 待我审批 lists pending ones: the answered application leaves it; all states show it approved.
    await page.getByTestId(`app-row-${id}`).waitFor({ state: 'detached' });
    await page.goto(server.url('/workbench/sharing?tab=provider&state=approved'));
    await page.locator(`[data-testid="app-state-${id}"][data-state="approved"]`).waitFor();
    assert.equal(await page.getByTestId(`app-due-${id}`).getAttribute('data-deadline'), 'decided');
    await signOut(page);

    // ---- the clerk finds the grant with the kept fields only ----
    await signIn(page, server, ...CLERK);
    await page.goto(server.url('/workbench'));
    await page.getByTestId('side-nav-workbench-grants').click();
    await expectPath(page, '/workbench/grants');
    const grantRow = page.locator(`[data-testid^="grant-row-"][data-purpose="${PURPOSE}"]`);
    await grantRow.waitFor();
    const grantId = ((await grantRow.getAttribute('data-testid')) ?? '').replace('grant-row-', '');
    await page.locator(`[data-testid="grant-state-${grantId}"][data-state="active"]`).waitFor();
    await expectText(page.getByTestId(`grant-origin-${grantId}`), '申请审批');
    const fields = await page
      .locator(`[data-testid="grant-fields-${grantId}"] [data-clear]`)
      .evaluateAll((els) => els.map((e) => [e.getAttribute('data-testid'), e.getAttribute('data-clear')]));
    assert.deepEqual(
      fields,
      KEPT.map((f) => [`grant-fields-${grantId}-${f}`, f === 'name' ? 'true' : 'false']),
    );
    await expectText(page.getByTestId(`grant-fields-${grantId}-name`), /姓名\s*明文/);
    // A consumer does not revoke.
    assert.equal(await page.getByTestId(`grant-revoke-${grantId}`).count(), 0);

    // And 我的申请 shows it approved, with the provider's note.
    await page.getByTestId('side-nav-workbench-sharing').click();
    await page.locator(`[data-testid="app-state-${id}"][data-state="approved"]`).waitFor();
    await expectText(page.getByTestId(`app-note-${id}`), /住址和联系电话不予提供/);
    await signOut(page);

    // ---- 公安 revokes it with a reason; the row says so ----
    await signIn(page, server, ...HEAD);
    await page.goto(server.url('/workbench/grants?tab=provider'));
    await page.getByTestId(`grant-revoke-${grantId}`).click();
    await page.getByTestId('revoke-dialog-confirm').click();
    await expectText(page.locator('[data-testid="revoke-dialog"] .el-form-item__error'), '请填写理由');
    await page.getByTestId('revoke-dialog-note').fill(REVOKE_REASON);
    await page.getByTestId('revoke-dialog-confirm').click();
    await page.locator(`[data-testid="grant-state-${grantId}"][data-state="revoked"]`).waitFor();
    await expectText(page.getByTestId(`grant-reason-${grantId}`), REVOKE_REASON);
    assert.equal(await page.getByTestId(`grant-revoke-${grantId}`).count(), 0);
    // In force only: it is gone.
    await page.getByTestId('grants-active-true').click();
    await page.getByTestId(`grant-row-${grantId}`).waitFor({ state: 'detached' });
  },
);

e2e(
  'an unconditional resource picked on the sharing page is granted at once, masked personal fields and all',
  { env, setup: [DEMO] },
  async ({ page, server }) => {
    await signIn(page, server, ...CLERK);
    await page.goto(server.url('/workbench/sharing'));
    await page.getByTestId('sharing-apply').click();
    await page.getByTestId('apply-dialog').waitFor();
    // Only other departments' published, shared resources are offered.
    await page.getByTestId('apply-resource').click();
    const option = (/** @type {string} */ text) =>
      page.locator('.apply-resource-popper .el-select-dropdown__item:visible', { hasText: text });
    await option('企业登记信息').waitFor();
    assert.equal(await option('最低生活保障对象').count(), 0, 'not shared, and 民政\'s own');
    await option('企业登记信息').click();
    await expectText(page.getByTestId('apply-mode-hint'), /无条件共享/);
    await page.getByTestId('apply-fields-all').click();
    // Asking 法定代表人 in clear would need 市场监管局's decision: left masked.
    await page.getByTestId('apply-clear-legal_representative').waitFor();
    await page.getByTestId('apply-purpose').fill('低保申请人名下企业核查');
    await page.getByTestId('apply-submit').click();

    const outcome = page.getByTestId('apply-outcome');
    await outcome.waitFor();
    assert.equal(await outcome.getAttribute('data-outcome'), 'granted');
    assert.equal(await page.getByTestId('apply-outcome-fields-legal_representative').getAttribute('data-clear'), 'false');
    await page.getByTestId('apply-outcome-open').click();
    await expectPath(page, '/workbench/grants?tab=consumer');
    const row = page.locator('[data-testid^="grant-row-"][data-purpose="低保申请人名下企业核查"]');
    await row.waitFor();
    const id = ((await row.getAttribute('data-testid')) ?? '').replace('grant-row-', '');
    await page.locator(`[data-testid="grant-state-${id}"][data-state="active"]`).waitFor();
    await expectText(page.getByTestId(`grant-origin-${id}`), '无条件共享');
  },
);

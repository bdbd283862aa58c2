// One data, one source in the browser, on the seeded Hangzhou demo: 民政局 proposed other
// contact details for three people of 公安局's population register. The 公安局 clerk
// opens 差异处理 from the workbench, sees the three open proposals, accepts one (the
// record's current value becomes the proposed one) and rejects another with a reason
// (the value stays); the proposer's clerk then reads both outcomes.
import assert from 'node:assert/strict';
import { e2e, expectPath, expectText } from './harness.mjs';
import { FAST_HASHING, confirmDialog, signIn, signOut } from './identity-helpers.mjs';

const env = { ...FAST_HASHING };
const DEMO = ['demo', '--seed-only'];
const REASON = '户籍登记信息已与本人核实，以公安登记为准';

e2e(
  'the authority accepts one proposed value and rejects another with a reason',
  { env, setup: [DEMO], timeout: 180_000 },
  async ({ page, server }) => {
    await signIn(page, server, 'gaj.clerk', 'Demo#Clerk2026');
    await page.getByTestId('face-workbench').click();
    await expectPath(page, '/workbench');
    await page.getByTestId('side-nav-workbench-discrepancies').click();
    await expectPath(page, '/workbench/catalog/discrepancies');
    await expectText(page.getByTestId('page-title'), '差异处理');

    // The three open proposals of 民政局, each ours to resolve.
    const rows = page.locator('[data-testid="discrepancies-table"] .el-table__body-wrapper tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 3, 'three open discrepancies');
    const accepts = page.locator('[data-testid^="discrepancy-accept-"]');
    assert.equal(await accepts.count(), 3);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await accepts.nth(i).getAttribute('data-testid')).replace('discrepancy-accept-', ''));
    await expectText(page.getByTestId('discrepancies-table'), /杭州市民政局/);

    // Accept the first: the record takes the proposed value.
    const [a, r] = ids;
    const proposed = (await page.getByTestId(`discrepancy-proposed-${a}`).first().innerText()).trim();
    assert.notEqual((await page.getByTestId(`discrepancy-current-${a}`).first().innerText()).trim(), proposed);
    await page.getByTestId(`discrepancy-accept-${a}`).first().click();
    await confirmDialog(page);
    await expectText(page.getByTestId(`discrepancy-state-${a}`).first(), '已采纳');
    await expectText(page.getByTestId(`discrepancy-current-${a}`).first(), proposed);
    assert.equal(await page.getByTestId(`discrepancy-accept-${a}`).count(), 0, 'resolved: no more actions');

    // Reject the second: a reason is required, and the value stays.
    const kept = (await page.getByTestId(`discrepancy-current-${r}`).first().innerText()).trim();
    await page.getByTestId(`discrepancy-reject-${r}`).first().click();
    await page.getByTestId('discrepancy-reject-dialog-confirm').click();
    await page.locator('.el-dialog .el-form-item__error').first().waitFor();
    await page.getByTestId('discrepancy-reject-dialog-note').fill(REASON);
    await page.getByTestId('discrepancy-reject-dialog-confirm').click();
    await expectText(page.getByTestId(`discrepancy-state-${r}`).first(), '已驳回');
    await expectText(page.getByTestId(`discrepancy-resolution-${r}`).first(), new RegExp(REASON));
    await expectText(page.getByTestId(`discrepancy-current-${r}`).first(), kept);

    // Reloaded with the default filter, only one is still open.
    await page.getByTestId('discrepancies-refresh').click();
    await expectText(page.getByTestId('discrepancies-table'), /./);
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid^="discrepancy-accept-"]').length === 1,
      undefined,
      { timeout: 10_000 },
    );

    // 民政局's clerk follows what it proposed and reads the outcomes.
    await signOut(page);
    await signIn(page, server, 'mzj.clerk', 'Demo#Clerk2026');
    await page.goto(server.url('/workbench/catalog/discrepancies'));
    await page.getByTestId('discrepancies-view-follow').click();
    await page.getByTestId('discrepancies-state').click();
    await page.locator('.el-select-dropdown__item', { hasText: '全部状态' }).click();
    await expectText(page.getByTestId(`discrepancy-state-${a}`).first(), '已采纳');
    await expectText(page.getByTestId(`discrepancy-resolution-${r}`).first(), new RegExp(REASON));
    assert.equal(await page.locator('[data-testid^="discrepancy-accept-"]').count(), 0, 'the proposer does not resolve');
  },
);

// Data quality in the browser, end to end, on the seeded Hangzhou demo: the big-data
// centre's officer opens 数据质量 from the workbench menu, reads the overview of every
// published resource (worst first), opens 户籍人口基本信息's report — score, the four
// dimensions, the fields — presses 立即评估 and sees a new report; and reaches the same
// report from the resource's page.
import assert from 'node:assert/strict';
import { e2e, expectPath, expectText } from './harness.mjs';
import { FAST_HASHING, signIn } from './identity-helpers.mjs';

const env = { ...FAST_HASHING };
const DEMO = ['demo', '--seed-only'];
const OFFICER = ['sjzyj.officer', 'Demo#Data2026'];
const CODE = 'gaj.population';
const NAME = '户籍人口基本信息';
const PUBLISHED = ['gaj.population', 'scjgj.enterprise', 'rsj.social_insurance', 'gjj.deposit'];

e2e(
  'the big-data centre reads the quality overview and a resource report, and assesses it again',
  { env, setup: [DEMO], timeout: 180_000 },
  async ({ page, server }) => {
    await signIn(page, server, ...OFFICER);
    await page.getByTestId('face-workbench').click();
    await expectPath(page, '/workbench');
    await page.getByTestId('side-nav-workbench-quality').click();
    await expectPath(page, '/workbench/catalog/quality');
    await expectText(page.getByTestId('page-title'), '数据质量');

    // Every published resource has its seeded report, worst first.
    for (const code of PUBLISHED) await page.getByTestId(`quality-open-${code}`).waitFor();
    const scores = [];
    for (const code of PUBLISHED) {
      const text = ((await page.getByTestId(`quality-row-score-${code}`).textContent()) ?? '').trim();
      assert.match(text, /^\d{1,3}\.\d$/, `${code}: a score with one decimal, not "${text}"`);
    }
    const rows = page.locator('[data-testid="quality-table"] .el-table__body tr');
    assert.equal(await rows.count(), PUBLISHED.length);
    for (let i = 0; i < PUBLISHED.length; i++) {
      scores.push(Number(((await rows.nth(i).locator('.el-tag').first().textContent()) ?? '').trim()));
    }
    assert.deepEqual([...scores].sort((a, b) => a - b), scores, 'ordered by score, lowest first');

    // Another order: by resource code.
    await page.getByTestId('quality-sort').click();
    await page.locator('.quality-sort-popper .el-select-dropdown__item:visible', { hasText: '资源代码' }).click();
    await expectText(rows.first().locator('a'), '户籍人口基本信息');

    // One resource's report.
    await page.getByTestId(`quality-open-${CODE}`).click();
    await expectPath(page, `/workbench/catalog/${CODE}/quality`);
    await expectText(page.getByTestId('page-title'), `数据质量：${NAME}`);
    await expectText(page.getByTestId('quality-score'), /^\d{1,3}\.\d$/);
    await expectText(page.locator('[data-testid="quality-dim-completeness"] strong'), /^(\d{1,3}\.\d|不适用)$/);
    await expectText(page.locator('[data-testid="quality-dim-uniqueness"] strong'), '不适用');
    await expectText(page.getByTestId('quality-computed'), /演示数据/);
    await page.getByTestId('quality-field-phone').waitFor();
    await expectText(page.getByTestId('quality-field-id_number'), '公民身份号码');
    const before = Number(await page.getByTestId('quality-report').getAttribute('data-report-id'));
    await expectText(page.getByTestId('quality-trend').locator('.trend__empty'), '评估两次以上后显示趋势。');

    // Assess again: a new report, by the officer, and the trend has two points.
    await page.getByTestId('quality-recompute').click();
    await page.locator('.el-message--success', { hasText: `已重新评估：${NAME}` }).waitFor();
    await page.waitForFunction(
      (id) => Number(document.querySelector('[data-testid="quality-report"]')?.getAttribute('data-report-id')) > id,
      before,
    );
    await expectText(page.getByTestId('quality-computed'), /sjzyj\.officer/);
    assert.equal(await page.getByTestId('quality-trend').getAttribute('data-points'), '2');

    // The resource page links to the same report.
    await page.getByTestId('quality-back').click();
    await expectPath(page, `/workbench/catalog/${CODE}`);
    await page.getByTestId('resource-quality').click();
    await expectPath(page, `/workbench/catalog/${CODE}/quality`);
    await page.getByTestId('quality-report').waitFor();
  },
);

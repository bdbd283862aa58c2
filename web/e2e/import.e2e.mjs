// Importing records in the browser, end to end, on the seeded Hangzhou demo: the 公安局
// clerk opens 户籍人口基本信息, goes to 导入数据, uploads a CSV with two bad rows (a wrong
// ID check character, 2000-02-30), watches the batch finish, reads each rejected row with
// its reason beside the field; corrects one in place — a still-wrong value first, whose
// error stands beside its field, then the right one — dismisses the other with a reason,
// and sees the counts change, in the report and in the history.
import assert from 'node:assert/strict';
import { e2e, expectPath, expectText } from './harness.mjs';
import { FAST_HASHING, allowRefusal, signIn } from './identity-helpers.mjs';

const env = { ...FAST_HASHING };
const DEMO = ['demo', '--seed-only'];
const CLERK = ['gaj.clerk', 'Demo#Clerk2026'];
const CODE = 'gaj.population';
const NAME = '户籍人口基本信息';
const REASON = '出生日期核实后另行补录';

const CSV = [
  '公民身份号码,姓名,性别,出生日期,户籍所在地,住址,联系电话',
  '11010519491231002X,张三,男,1949-12-31,330106,杭州市西湖区北山街道,139 0000 0000',
  '330106198805121233,王五,男,1988-05-12,330106,西湖区北山街道,',
  '330102199003082343,赵六,2,1990年3月8日,330102,上城区清波街道,',
  '330106200001010013,孙八,男,2000-02-30,330106,,',
  '',
].join('\n');

e2e(
  'a clerk imports a file, reads each refused row with its reason, corrects one in place and dismisses another',
  { env, setup: [DEMO], timeout: 180_000 },
  async ({ page, server, browser }) => {
    await signIn(page, server, ...CLERK);
    // Staff land on a face; the header's 工作台 leads to the workbench and its catalog.
    await page.getByTestId('face-workbench').click();
    await expectPath(page, '/workbench');
    await page.getByTestId('side-nav-workbench-catalog').click();
    await page.getByTestId(`catalog-open-${CODE}`).click();
    await expectPath(page, `/workbench/catalog/${CODE}`);
    await expectText(page.getByTestId('page-title'), NAME);

    await page.getByTestId('resource-import').click();
    await expectPath(page, `/workbench/catalog/${CODE}/imports`);
    await expectText(page.getByTestId('page-title'), `导入数据：${NAME}`);
    await expectText(page.getByTestId('imports-header-note'), /公民身份号码\s*id_number/);
    await page.getByTestId('imports-history-table').waitFor();

    // The template is the header row, UTF-8 with a BOM.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('imports-template').click()]);
    assert.equal(download.suggestedFilename(), `${CODE}-template.csv`);
    const stream = await download.createReadStream();
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    const template = Buffer.concat(chunks);
    assert.deepEqual([...template.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a UTF-8 BOM');
    assert.equal(template.subarray(3).toString('utf8'), '公民身份号码,姓名,性别,出生日期,户籍所在地,住址,联系电话\r\n');

    // Upload: the file input takes an in-memory file.
    await page
      .locator('[data-testid="imports-file"] input[type=file]')
      .setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV, 'utf8') });
    await page.getByTestId('imports-start').click();
    await page.waitForURL((url) => /\/imports\?batch=\d+$/.test(url.pathname + url.search));
    await page.locator('[data-testid="imports-batch"][data-state="done"]').waitFor();
    await expectText(page.getByTestId('imports-batch-state'), '已完成');
    await expectText(page.getByTestId('imports-count-records'), '4');
    await expectText(page.getByTestId('imports-count-accepted'), '2');
    await expectText(page.getByTestId('imports-count-rejected'), '2');
    await expectText(page.getByTestId('imports-count-fixed'), '0');

    // Each rejected row, its raw values and the reason beside the field it concerns.
    await expectText(page.getByTestId('reject-line-3'), '3');
    await expectText(page.getByTestId('reject-3-id_number'), /330106198805121233[\s\S]*\S/);
    await expectText(page.getByTestId('reject-3-name'), '王五');
    assert.equal(await page.locator('[data-testid="reject-3-name"] .imports__reason').count(), 0, 'no reason beside 姓名');
    await expectText(page.getByTestId('reject-5-birth_date'), /2000-02-30[\s\S]*\S/);
    assert.equal(await page.locator('[data-testid="reject-5-birth_date"] .imports__reason').count(), 1);
    assert.equal(await page.locator('[data-testid="reject-5-id_number"] .imports__reason').count(), 0);

    // Correct line 3: the wrong check character again first — its error stands beside 公民身份号码.
    await page.getByTestId('reject-fix-3').click();
    const dialog = page.getByTestId('fix-dialog');
    assert.equal(await page.getByTestId('fix-value-id_number').inputValue(), '330106198805121233');
    assert.equal(await page.getByTestId('fix-value-name').inputValue(), '王五');
    assert.equal(await page.getByTestId('fix-value-gender').inputValue(), '男');
    await page.getByTestId('fix-was-id_number').waitFor();
    allowRefusal(browser, 400, '/api/imports/rejects/\\d+/fix');
    await page.getByTestId('fix-value-address').fill('杭州市西湖区北山街道');
    await page.getByTestId('fix-save').click();
    await expectText(page.locator('[data-testid="fix-item-id_number"] .el-form-item__error'), /\S/);
    assert.equal(await page.locator('[data-testid="fix-item-name"] .el-form-item__error').count(), 0);
    await page.getByTestId('fix-value-id_number').fill('330106198805121237');
    await page.getByTestId('fix-save').click();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator('[data-testid="reject-state-3"][data-state="fixed"]').waitFor();
    await expectText(page.getByTestId('imports-count-fixed'), '1');
    assert.equal(await page.getByTestId('reject-fix-3').count(), 0, 'a corrected row offers nothing more');

    // Dismiss line 5, with a reason (required).
    await page.getByTestId('reject-dismiss-5').click();
    await page.getByTestId('dismiss-dialog-confirm').click();
    await expectText(page.locator('[data-testid="dismiss-dialog"] .el-form-item__error'), '请填写理由');
    await page.getByTestId('dismiss-dialog-note').fill(REASON);
    await page.getByTestId('dismiss-dialog-confirm').click();
    await page.locator('[data-testid="reject-state-5"][data-state="dismissed"]').waitFor();
    await expectText(page.getByTestId('reject-note-5'), REASON);

    // Nothing left open: the open filter lists nothing, all lists both.
    await page.getByTestId('imports-history-refresh').click();
    const batchId = new URL(page.url()).searchParams.get('batch');
    await expectText(page.getByTestId(`history-fixed-${batchId}`), '1');
    await expectText(page.getByTestId(`history-rejected-${batchId}`), '2');
    await page.reload();
    await page.locator('[data-testid="imports-batch"][data-state="done"]').waitFor();
    await expectText(page.getByTestId('imports-count-fixed'), '1');
    await expectText(page.locator('[data-testid="imports-rejects"] .el-table__empty-text'), '没有待处理的记录');
    await page.getByTestId('imports-filter-all').click();
    await page.locator('[data-testid="reject-state-3"][data-state="fixed"]').waitFor();
    await page.locator('[data-testid="reject-state-5"][data-state="dismissed"]').waitFor();
  },
);

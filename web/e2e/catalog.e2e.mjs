// The data resource catalog in the browser, end to end, on the seeded Hangzhou demo: a
// 公安局 clerk finds 社会保险参保信息 by searching 社保 and narrows by share type; describes
// a new resource, sees a wrong field name and then an unknown code table named beside
// their cells, fixes both, saves and submits it; the big-data centre's officer sends it
// back with a reason from 待审核; the clerk reads the reason and submits again; the officer
// approves; the resource is then found in the published catalog.
import assert from 'node:assert/strict';
import { e2e, expectPath, expectText } from './harness.mjs';
import { FAST_HASHING, allowRefusal, confirmDialog, signIn, signOut } from './identity-helpers.mjs';

const env = { ...FAST_HASHING };
/** `zhengwu demo --seed-only`: the demo's organisations, accounts and catalog. */
const DEMO = ['demo', '--seed-only'];
const CLERK = ['gaj.clerk', 'Demo#Clerk2026'];
const OFFICER = ['sjzyj.officer', 'Demo#Data2026'];
const CODE = 'gaj.floating_population';
const NAME = '流动人口居住登记信息';
const REASON = '请补充“登记日期”信息项，并说明数据来源。';

/**
 * Chooses an option of an el-select by its exact text.
 * @param {import('playwright-core').Page} page @param {string} testId @param {string} popperClass @param {string} text
 */
async function choose(page, testId, popperClass, text) {
  await page.getByTestId(testId).click();
  await page.locator(`.${popperClass} .el-select-dropdown__item:visible`, { hasText: new RegExp(`^\\s*${text}\\s*$`) }).first().click();
}

/**
 * Opens the catalog from the workbench's side menu (staff who may read organisations start
 * on the admin face).
 * @param {import('playwright-core').Page} page
 */
async function openCatalog(page) {
  await page.getByTestId('face-workbench').click();
  await expectPath(page, '/workbench');
  await page.getByTestId('side-nav-workbench-catalog').click();
  await expectPath(page, '/workbench/catalog');
  await expectText(page.getByTestId('page-title'), '数据资源目录');
}

/** @param {import('playwright-core').Page} page @param {string} state */
async function expectState(page, state) {
  await page.locator(`[data-testid="resource-state"][data-state="${state}"]`).waitFor();
}

e2e(
  'a clerk describes a resource, the big-data centre sends it back and then publishes it, and it is found in the catalog',
  { env, setup: [DEMO], timeout: 180_000 },
  async ({ page, server, browser }) => {
    // ---- the clerk searches the published catalog ----
    await signIn(page, server, ...CLERK);
    await openCatalog(page);
    await page.getByTestId('catalog-result-gaj.population').waitFor();
    await page.getByTestId('catalog-search').fill('社保');
    await page.getByTestId('catalog-search-submit').click();
    await expectPath(page, `/workbench/catalog?q=${encodeURIComponent('社保')}`);
    // The results of the search have replaced the whole catalog (社会保险参保信息 was in both).
    await expectText(page.getByTestId('catalog-total'), '共 1 个资源');
    await page.getByTestId('catalog-result-gaj.population').waitFor({ state: 'detached' });
    await expectText(page.getByTestId('catalog-open-rsj.social_insurance'), '社会保险参保信息');
    await expectText(page.getByTestId('catalog-provider-rsj.social_insurance'), '杭州市人力资源和社会保障局');
    assert.equal(await page.getByTestId('catalog-result-gaj.population').count(), 0, 'only what matches 社保 is listed');
    // The share-type group counts what each value holds; ticking one narrows the results.
    const conditional = page.getByTestId('catalog-facet-share_type-conditional');
    assert.equal(await conditional.getAttribute('data-count'), '1');
    await conditional.click();
    await expectPath(page, `/workbench/catalog?q=${encodeURIComponent('社保')}&share_type=conditional`);
    await expectText(page.getByTestId('catalog-total'), '共 1 个资源');
    await page.getByTestId('catalog-result-rsj.social_insurance').waitFor();
    await page.getByTestId('catalog-facet-share_type-none').waitFor({ state: 'detached' });

    // A search that finds nothing: the empty state says what to try, and clears the search.
    await page.getByTestId('catalog-search').fill('不存在的资源名称');
    await page.getByTestId('catalog-search-submit').click();
    await page.getByTestId('catalog-empty').waitFor();
    await page.getByTestId('catalog-empty-clear').click();
    await expectPath(page, '/workbench/catalog');
    await page.getByTestId('catalog-result-scjgj.enterprise').waitFor();

    // ---- the clerk describes a new resource ----
    await page.getByTestId('catalog-create').click();
    await expectPath(page, '/workbench/catalog/new');
    await expectText(page.getByTestId('page-title'), '新建数据资源');
    await page.getByTestId('editor-code').fill(CODE);
    await page.getByTestId('editor-name').fill(NAME);
    await page.getByTestId('editor-category-thematic').click();
    await page.getByTestId('editor-share-type-conditional').click();
    await page.getByTestId('editor-summary').fill('来杭居住人员的居住登记信息（流动人口），由公安派出所登记。');
    // The first row is the key: a wrong name first.
    await page.getByTestId('field-label-0').fill('公民身份号码');
    await page.getByTestId('field-name-0').fill('ID Number');
    await choose(page, 'field-type-0', 'catalog-type-popper-0', '公民身份号码');
    await choose(page, 'field-sensitivity-0', 'catalog-sensitivity-popper-0', '敏感个人信息');
    // A second row, a code field with a code table the server does not have.
    await page.getByTestId('editor-add-field').click();
    await page.getByTestId('field-label-1').fill('性别');
    await page.getByTestId('field-name-1').fill('gender');
    await choose(page, 'field-type-1', 'catalog-type-popper-1', '代码');
    await page.getByTestId('field-code-table-1').fill('gb2261');
    await choose(page, 'field-sensitivity-1', 'catalog-sensitivity-popper-1', '个人信息');

    // The page's own check finds the name, beside its cell, and sends nothing.
    await page.getByTestId('editor-save').click();
    await page.getByTestId('editor-invalid').waitFor();
    await expectText(page.getByTestId('field-error-0-name'), /以小写字母开头/);
    assert.equal(await page.getByTestId('field-error-1-code_table').count(), 0);
    await page.getByTestId('field-name-0').fill('id_number');
    await page.getByTestId('field-error-0-name').waitFor({ state: 'detached' });

    // The server finds the code table missing: its message stands beside that cell.
    allowRefusal(browser, 400, '/api/catalog/resources');
    await page.getByTestId('editor-save').click();
    await expectText(page.getByTestId('field-error-1-code_table'), 'no code table gb2261');
    await expectText(page.getByTestId('editor-invalid'), /有 1 处需要更正/);
    assert.equal(await page.getByTestId('field-error-0-name').count(), 0);
    await page.getByTestId('field-code-table-1').fill('gb2261.1');
    await page.getByTestId('editor-save').click();

    // Saved as a draft: the resource page.
    await expectPath(page, `/workbench/catalog/${CODE}`);
    await expectText(page.getByTestId('page-title'), NAME);
    await expectState(page, 'draft');
    await expectText(page.getByTestId('resource-field-id_number'), '公民身份号码');
    await expectText(page.getByTestId('resource-sensitivity-id_number'), '敏感个人信息');
    await expectText(page.getByTestId('resource-share-type'), '有条件共享');
    // The code table's values open from its name.
    await page.getByTestId('code-table-gb2261.1').click();
    await expectText(page.locator('[data-testid="code-table-values-gb2261.1"] .el-table__body tr').nth(1), /1\s*男性/);
    await page.getByTestId('page-title').click();

    await page.getByTestId('resource-submit').click();
    await confirmDialog(page);
    await expectState(page, 'submitted');
    await page.getByTestId('resource-submitted-note').waitFor();
    assert.equal(await page.getByTestId('resource-edit').count(), 0, 'no editing under review');
    await signOut(page);

    // ---- the officer sends it back ----
    await signIn(page, server, ...OFFICER);
    await openCatalog(page);
    await expectText(page.getByTestId('catalog-tab-count-review'), '2');
    await page.getByTestId('catalog-tab-review').click();
    await expectPath(page, '/workbench/catalog?tab=review');
    await page.getByTestId('catalog-result-mzj.subsistence').waitFor();
    await page.getByTestId(`catalog-open-${CODE}`).click();
    await expectPath(page, `/workbench/catalog/${CODE}`);
    await expectState(page, 'submitted');
    await page.getByTestId('resource-reject').click();
    // A reason is required.
    await page.getByTestId('reject-dialog-confirm').click();
    await expectText(page.locator('[data-testid="reject-dialog"] .el-form-item__error'), '请填写理由');
    await page.getByTestId('reject-dialog-note').fill(REASON);
    await page.getByTestId('reject-dialog-confirm').click();
    await expectState(page, 'draft');
    await expectText(page.getByTestId('resource-event-0'), new RegExp(`退回修改[\\s\\S]*${REASON}`));
    await signOut(page);

    // ---- the clerk reads the reason and submits again ----
    await signIn(page, server, ...CLERK);
    await openCatalog(page);
    await expectText(page.getByTestId('catalog-tab-count-mine'), '1');
    await page.getByTestId('catalog-tab-mine').click();
    await expectPath(page, '/workbench/catalog?tab=mine');
    await page.getByTestId(`catalog-open-${CODE}`).click();
    await page.getByTestId('resource-review-note').waitFor();
    await expectText(page.getByTestId('resource-review-note-text'), REASON);
    await page.getByTestId('resource-submit').click();
    await confirmDialog(page);
    await expectState(page, 'submitted');
    assert.equal(await page.getByTestId('resource-review-note').count(), 0, 'the reason no longer waits');
    await signOut(page);

    // ---- the officer approves ----
    await signIn(page, server, ...OFFICER);
    await openCatalog(page);
    await page.getByTestId('catalog-tab-review').click();
    await page.getByTestId(`catalog-open-${CODE}`).click();
    await page.getByTestId('resource-approve').click();
    await confirmDialog(page);
    await expectState(page, 'published');
    assert.equal(await page.getByTestId('resource-approve').count(), 0);
    await page.getByTestId('resource-retire').waitFor();

    // ---- it is in the published catalog ----
    await page.getByTestId('resource-back').click();
    await expectPath(page, '/workbench/catalog');
    await page.getByTestId('catalog-search').fill('流动人口');
    await page.getByTestId('catalog-search-submit').click();
    await expectText(page.getByTestId(`catalog-open-${CODE}`), NAME);
    assert.equal(await page.getByTestId(`catalog-state-${CODE}`).textContent().then((s) => s?.trim()), '已发布');
    await expectText(page.getByTestId('catalog-total'), '共 1 个资源');

    // A reload of the resource's address opens the app (codes hold dots).
    await page.goto(server.url(`/workbench/catalog/${CODE}`));
    await expectText(page.getByTestId('page-title'), NAME);
    await expectState(page, 'published');
  },
);

e2e(
  'a clerk is not offered review, and an officer is not offered to describe resources',
  { env, setup: [DEMO] },
  async ({ page, server }) => {
    await signIn(page, server, ...CLERK);
    await openCatalog(page);
    await page.getByTestId('catalog-tab-mine').waitFor();
    assert.equal(await page.getByTestId('catalog-tab-review').count(), 0);
    await page.getByTestId('catalog-create').waitFor();
    // Another department's published resource: read only.
    await page.getByTestId('catalog-open-rsj.social_insurance').click();
    await expectState(page, 'published');
    for (const action of ['resource-edit', 'resource-submit', 'resource-approve', 'resource-retire']) {
      assert.equal(await page.getByTestId(action).count(), 0, action);
    }
    await signOut(page);

    await signIn(page, server, ...OFFICER);
    await openCatalog(page);
    await page.getByTestId('catalog-tab-review').waitFor();
    assert.equal(await page.getByTestId('catalog-tab-mine').count(), 0);
    assert.equal(await page.getByTestId('catalog-create').count(), 0);
    // The editor's address shows "no permission" rather than the form.
    await page.goto(server.url('/workbench/catalog/new'));
    await page.getByTestId('no-permission').waitFor();
  },
);

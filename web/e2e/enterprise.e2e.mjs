// An enterprise account's page against the real server: it fills in its profile (a wrong
// ID number is pointed out beside the field, by the form and by the server), authorises
// two citizens and revokes one with a reason; the citizen still authorised signs in and
// finds the enterprise in "我可代理的企业", the other does not.
import assert from 'node:assert/strict';
import { e2e, expectText } from './harness.mjs';
import { CITY, FAST_HASHING, allowRefusal, apiCall, confirmDialog, signIn, signOut, userAdd } from './identity-helpers.mjs';

const env = { ...FAST_HASHING };
const SYSADMIN = userAdd('sysadmin', 'Sys#Admin2026', { role: 'sys_admin', org: '330100' });
const ZHANGSAN = userAdd('zhangsan', 'Zhang#San2026', { role: 'citizen', idNumber: '330106198805121237', displayName: '张三' });
const LISI = userAdd('lisi', 'Li#Si2026', { role: 'citizen', idNumber: '330102199003082343', displayName: '李四' });
const CORP = { username: 'xihu.tech', password: 'Xihu#Tech2026', name: '杭州西湖数智科技有限公司', uscc: '91330106MA2H7K3T56' };

/**
 * The command line makes staff and citizens; the system administrator makes the
 * enterprise account through the API.
 * @param {{url: (p: string) => string}} server
 */
async function createEnterprise(server) {
  const login = await apiCall(server, 'POST', '/api/auth/login', { body: { username: 'sysadmin', password: 'Sys#Admin2026' } });
  assert.equal(login.status, 200);
  const made = await apiCall(server, 'POST', '/api/users', {
    token: login.body.token,
    body: {
      username: CORP.username,
      display_name: CORP.name,
      kind: 'enterprise',
      uscc: CORP.uscc,
      password: CORP.password,
      must_change_password: false,
    },
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
}

/**
 * The error message beside one form item.
 * @param {import('playwright-core').Page} page @param {string} testId
 */
const fieldError = (page, testId) => page.getByTestId(testId).locator('.el-form-item__error');

/**
 * Authorises a citizen through the dialog and waits for the success message.
 * @param {import('playwright-core').Page} page @param {string} username @param {string} scope
 */
async function authorise(page, username, scope) {
  await page.getByTestId('agent-grant-open').click();
  const dialog = page.getByTestId('agent-grant-dialog');
  await dialog.waitFor();
  await page.getByTestId('agent-grant-agent').fill(username);
  await page.getByTestId('agent-grant-scope').fill(scope);
  await page.getByTestId('agent-grant-submit').click();
  await dialog.waitFor({ state: 'hidden' });
}

e2e(
  'the enterprise fills in its profile, authorises a citizen, and the citizen sees the enterprise',
  { env, setup: [CITY, SYSADMIN, ZHANGSAN, LISI] },
  async ({ page, server, browser }) => {
    await createEnterprise(server);
    await signIn(page, server, CORP.username, CORP.password);
    await page.goto(server.url('/enterprise'));
    await expectText(page.getByTestId('page-title'), '企业信息与授权代理人');
    await expectText(page.getByTestId('enterprise-uscc'), CORP.uscc);
    await page.getByTestId('enterprise-profile-empty').waitFor();

    // The form: the name starts as the account's; a wrong check character is caught
    // before anything is sent.
    assert.equal(await page.getByTestId('enterprise-form-name').inputValue(), CORP.name);
    await page.getByTestId('enterprise-form-representative').fill('王建华');
    await page.getByTestId('enterprise-form-id-number').fill('330106197506142518');
    await page.getByTestId('enterprise-form-division').fill('330106');
    await page.getByTestId('enterprise-form-save').click();
    await expectText(fieldError(page, 'enterprise-form-id-number-item'), '身份证号码校验码有误，末位应为 9');

    // A number whose check character is right but whose birth month is 13: the server
    // refuses it and its message stands beside the same field.
    allowRefusal(browser, 400, '/api/me/enterprise');
    await page.getByTestId('enterprise-form-id-number').fill('330106197513142517');
    await page.getByTestId('enterprise-form-save').click();
    await expectText(fieldError(page, 'enterprise-form-id-number-item'), /birth date|出生日期/);
    await page.getByTestId('enterprise-form-error').waitFor();

    await page.getByTestId('enterprise-form-id-number').fill('330106197506142519');
    await page.getByTestId('enterprise-form-save').click();
    await expectText(page.getByTestId('enterprise-profile-name'), CORP.name);
    await expectText(page.getByTestId('enterprise-profile-representative'), '王建华');
    await expectText(page.getByTestId('enterprise-profile-id-number'), '330106********2519');
    await page.getByTestId('enterprise-id-reveal').click();
    await expectText(page.getByTestId('enterprise-profile-id-number'), '330106197506142519');
    await expectText(page.getByTestId('enterprise-profile-division'), '330106');

    // Two citizens authorised; one revoked with a reason.
    await authorise(page, 'zhangsan', '代办企业登记、社保登记');
    await authorise(page, 'lisi', '代办员工社保增减员');
    const table = page.getByTestId('agents-table');
    await expectText(table.locator('[data-testid^="agent-name-"]').first(), '李四');
    const ids = await table
      .locator('[data-testid^="agent-state-"]')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')?.replace('agent-state-', '')));
    assert.equal(ids.length, 2);
    const [lisiId, zhangId] = ids;
    await expectText(page.getByTestId(`agent-state-${zhangId}`), '有效');
    await expectText(page.getByTestId(`agent-state-${lisiId}`), '有效');

    await page.getByTestId(`agent-revoke-${lisiId}`).click();
    await page.locator('.el-message-box__input input').fill('经办人已离职');
    await confirmDialog(page);
    await expectText(page.getByTestId(`agent-state-${lisiId}`), '已撤销');
    await expectText(page.getByTestId(`agent-reason-${lisiId}`), '经办人已离职');
    assert.equal(await page.getByTestId(`agent-revoke-${lisiId}`).count(), 0, 'a revoked authorisation has no revoke button');
    await expectText(page.getByTestId(`agent-state-${zhangId}`), '有效');

    // The citizen still authorised sees the enterprise; the revoked one does not.
    await signOut(page);
    await signIn(page, server, 'zhangsan', 'Zhang#San2026');
    await page.goto(server.url('/represented-enterprises'));
    await expectText(page.getByTestId('page-title'), '我可代理的企业');
    await expectText(page.getByTestId(`represented-name-${CORP.username}`), CORP.name);
    await expectText(page.getByTestId('represented-table').locator('.el-table__row'), /代办企业登记、社保登记/);

    const lisi = await apiCall(server, 'POST', '/api/auth/login', { body: { username: 'lisi', password: 'Li#Si2026' } });
    const listed = await apiCall(server, 'GET', '/api/me/represented-enterprises', { token: lisi.body.token });
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body.items, []);
  },
);

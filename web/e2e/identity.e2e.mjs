// The identity pages against the real server: sign-in with and without a second factor,
// the forced password change, the administrators' pages (organisations, users, roles and
// grants with 三权分立, online users), and what each administrator may see.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { e2e, expectPath, expectText } from './harness.mjs';
import {
  CITY,
  FAST_HASHING,
  allowRefusal,
  apiCall,
  confirmDialog,
  pickOption,
  pickOrg,
  signIn,
  signOut,
  totp,
  totpAt,
  userAdd,
} from './identity-helpers.mjs';

const env = { ...FAST_HASHING };
const SYSADMIN = userAdd('sysadmin', 'Sys#Admin2026', { role: 'sys_admin', org: '330100', displayName: '王系统' });
const SECADMIN = userAdd('secadmin', 'Sec#Admin2026', { role: 'sec_admin', org: '330100', displayName: '李安全' });
const AUDITOR = userAdd('auditor', 'Aud#Admin2026', { role: 'audit_admin', org: '330100', displayName: '赵审计' });

/** @param {import('playwright-core').Page} page */
const sideNav = (page) =>
  page.locator('.shell__aside [data-testid^="side-nav-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));

test('the TOTP helper matches RFC 6238 (SHA-1 test vectors)', () => {
  const key = Buffer.from('12345678901234567890');
  assert.equal(totpAt(key, 59_000, 8), '94287082');
  assert.equal(totpAt(key, 1_111_111_109_000, 8), '07081804');
  assert.equal(totpAt(key, 20_000_000_000_000, 8), '65353130');
  assert.equal(totp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 59_000), '287082');
});

e2e('the system administrator creates an organisation and a user in it', { env, setup: [CITY, SYSADMIN] }, async ({ page, server, browser }) => {
  // Signed out, the admin pages send to sign-in and come back afterwards.
  await page.goto(server.url('/admin/orgs'));
  await expectPath(page, '/login?redirect=/admin/orgs');
  await page.getByTestId('login-username').fill('sysadmin');
  await page.getByTestId('login-password').fill('Sys#Admin2026');
  await page.getByTestId('login-submit').click();
  await expectPath(page, '/admin/orgs');
  await expectText(page.getByTestId('page-title'), '组织机构');
  await expectText(page.getByTestId('user-menu-name'), '王系统');
  assert.deepEqual(await sideNav(page), [
    'side-nav-overview',
    'side-nav-admin-orgs',
    'side-nav-admin-users',
    'side-nav-admin-logins',
    'side-nav-admin-online',
    'side-nav-admin-status',
  ]);

  // A district under the city.
  await page.getByTestId('org-node-330100').click();
  await expectText(page.getByTestId('org-detail-name'), '杭州市');
  await page.getByTestId('org-create-child').click();
  await expectText(page.getByTestId('org-form-parent'), '杭州市（330100）');
  await page.getByTestId('org-form-code').fill('330106');
  await page.getByTestId('org-form-name').fill('西湖区人民政府');
  await pickOption(page, 'org-form-kind', 'org-kind-popper', '区县政府');
  await page.getByTestId('org-form-division').fill('330106');
  await page.getByTestId('org-form-submit').click();
  await page.getByTestId('org-node-330106').waitFor();
  await expectText(page.getByTestId('org-detail-name'), '西湖区人民政府');
  await expectText(page.getByTestId('org-detail-kind'), '区县政府');
  await expectText(page.getByTestId('org-detail-trail'), '杭州市 / 西湖区人民政府');

  // The city is not empty: deleting it is refused with the server's reason.
  allowRefusal(browser, 409, '/api/orgs/\\d+');
  await page.getByTestId('org-node-330100').click();
  await page.getByTestId('org-delete').click();
  await confirmDialog(page);
  await expectText(page.getByTestId('org-action-error').locator('[data-role="error-message"]'), /sub-organisations/);

  // The tree filters by name or code.
  await page.getByTestId('orgs-search').fill('西湖');
  await page.getByTestId('org-node-330106').waitFor();
  await page.getByTestId('orgs-search').fill('nothing-like-this');
  await page.getByTestId('orgs-no-match').waitFor();
  await page.getByTestId('orgs-search').fill('');

  // A staff account in the new district.
  await page.getByTestId('side-nav-admin-users').click();
  await expectPath(page, '/admin/users');
  await page.getByTestId('user-sysadmin').waitFor();
  await page.getByTestId('users-create').click();
  await page.getByTestId('user-form-username').fill('wangwu');
  await page.getByTestId('user-form-display-name').fill('王五');
  await pickOrg(page, 'user-form-org', 'user-form', '西湖区');
  await page.getByTestId('user-form-position').fill('科员');
  await page.getByTestId('user-form-password').fill('Wang#Wu2026');
  await page.getByTestId('user-form-submit').click();
  await page.getByTestId('user-wangwu').waitFor();
  await expectText(page.getByTestId('user-org-wangwu'), '西湖区人民政府');
  assert.equal(await page.getByTestId('user-state-wangwu').locator('[data-state="must-change"]').count(), 1);

  // Filtering by organisation shows only the district's people.
  await pickOrg(page, 'users-org-filter', 'users-filter', '西湖区');
  await page.getByTestId('user-sysadmin').waitFor({ state: 'detached' });
  await page.getByTestId('user-wangwu').waitFor();

  // The same user name again: the server's message stands beside the field.
  allowRefusal(browser, 409, '/api/users');
  await page.getByTestId('users-create').click();
  await page.getByTestId('user-form-username').fill('wangwu');
  await page.getByTestId('user-form-display-name').fill('另一个王五');
  await page.getByTestId('user-form-password').fill('Wang#Wu2026');
  await page.getByTestId('user-form-submit').click();
  await expectText(page.getByTestId('user-dialog').locator('.el-form-item__error'), 'is taken');
  await expectText(page.getByTestId('user-form-error').locator('[data-role="error-message"]'), /wangwu is taken/);
  await page.getByTestId('user-form-cancel').click();
  await page.getByTestId('user-dialog').waitFor({ state: 'hidden' });

  // The server has them.
  const login = await apiCall(server, 'POST', '/api/auth/login', { body: { username: 'sysadmin', password: 'Sys#Admin2026' } });
  const users = await apiCall(server, 'GET', '/api/users?q=wangwu', { token: login.body.token });
  assert.deepEqual(
    users.body.items.map((/** @type {any} */ u) => [u.username, u.display_name, u.org, u.position]),
    [['wangwu', '王五', '330106', '科员']],
  );

  // The login log lists the sign-ins, newest first.
  await page.getByTestId('side-nav-admin-logins').click();
  await expectText(page.getByTestId('page-title'), '登录日志');
  const outcome = page.locator('[data-testid$="-outcome"]').first();
  await expectText(outcome, '成功');
});

e2e(
  'the security administrator grants a role, and 三权分立 refuses a second administrator role',
  {
    env,
    setup: [CITY, SECADMIN, userAdd('lisi', 'Li#Si2026abc', { role: 'audit_admin', org: '330100', displayName: '李四' })],
  },
  async ({ page, server, browser }) => {
    await signIn(page, server, 'secadmin', 'Sec#Admin2026');
    await expectPath(page, '/admin');
    assert.deepEqual(await sideNav(page), [
      'side-nav-overview',
      'side-nav-admin-orgs',
      'side-nav-admin-users',
      'side-nav-admin-roles',
      'side-nav-admin-clients',
      'side-nav-admin-status',
    ]);

    // A role for the service windows, from the permission catalogue.
    await page.getByTestId('side-nav-admin-roles').click();
    await expectText(page.getByTestId('page-title'), '角色');
    await page.getByTestId('role-fixed-sys_admin').waitFor();
    await page.getByTestId('roles-create').click();
    await page.getByTestId('role-form-code').fill('window_clerk');
    await page.getByTestId('role-form-name').fill('窗口受理员');
    await page.getByTestId('role-perm-user.read').click();
    await page.getByTestId('role-perm-org.read').click();
    await page.getByTestId('role-form-submit').click();
    await page.getByTestId('role-window_clerk').waitFor();
    assert.deepEqual(
      await page
        .getByTestId('role-perms-window_clerk')
        .locator('[data-permission]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-permission'))),
      ['org.read', 'user.read'],
    );

    // Its permissions change; those of the built-in roles do not.
    await page.getByTestId('role-edit-window_clerk').click();
    await page.getByTestId('role-perm-org.read').click();
    await page.getByTestId('role-form-submit').click();
    await page.getByTestId('role-dialog').waitFor({ state: 'hidden' });
    await expectText(page.getByTestId('role-perms-window_clerk'), '查看用户');
    assert.equal(await page.getByTestId('role-edit-sys_admin').count(), 0);

    // Granting it to 李四, who is the audit administrator.
    await page.getByTestId('side-nav-admin-users').click();
    await page.getByTestId('user-grants-lisi').click();
    await page.getByTestId('grant-audit_admin-330100').waitFor();
    await pickOption(page, 'grant-role', 'grant-role-popper', '窗口受理员');
    await page.getByTestId('grant-submit').click();
    await page.getByTestId('grant-window_clerk-330100').waitFor();
    await expectText(page.getByTestId('grant-window_clerk-330100'), '窗口受理员');

    // The system administrator role as well: refused, and the page says why.
    allowRefusal(browser, 409, '/api/users/\\d+/grants');
    await pickOption(page, 'grant-role', 'grant-role-popper', '系统管理员');
    await page.getByTestId('grant-submit').click();
    await page.getByTestId('grant-separation').waitFor();
    await expectText(page.getByTestId('grant-separation').locator('.el-alert__title'), /三权分立/);
    await expectText(page.getByTestId('grant-separation-detail'), /already holds 审计管理员.*三权分立/);
    assert.equal(await page.getByTestId('grant-sys_admin-330100').count(), 0);

    // Revoking the window role again.
    await page.getByTestId('grant-revoke-window_clerk-330100').click();
    await confirmDialog(page);
    await page.getByTestId('grant-window_clerk-330100').waitFor({ state: 'detached' });
  },
);

e2e(
  'an account that must change its password reaches only the password page until it does',
  {
    env,
    setup: [CITY, userAdd('zhaoliu', 'Zhao#Liu2026', { role: 'sys_admin', org: '330100', displayName: '赵六', mustChange: true })],
  },
  async ({ page, server, browser }) => {
    await page.goto(server.url('/admin/users'));
    await expectPath(page, '/login?redirect=/admin/users');
    await page.getByTestId('login-username').fill('zhaoliu');
    await page.getByTestId('login-password').fill('Zhao#Liu2026');
    await page.getByTestId('login-submit').click();
    await expectPath(page, '/account/password?redirect=/admin/users');
    await page.getByTestId('password-forced').waitFor();

    // Elsewhere is out of reach.
    await page.getByTestId('face-portal').click();
    await expectPath(page, '/account/password?redirect=/portal');
    await page.getByTestId('password-forced').waitFor();

    // A weak password: the server's reason stands beside the new password.
    allowRefusal(browser, 400, '/api/me/password');
    await page.getByTestId('password-old').fill('Zhao#Liu2026');
    await page.getByTestId('password-new').fill('abc');
    await page.getByTestId('password-confirm').fill('abc');
    await page.getByTestId('password-submit').click();
    await expectText(page.getByTestId('password-new-error'), /needs at least 8 characters/);
    await expectPath(page, '/account/password?redirect=/portal');

    // A good one lets the account in, back to where it was going.
    await page.getByTestId('password-new').fill('Better#Pass2026');
    await page.getByTestId('password-confirm').fill('Better#Pass2026');
    await page.getByTestId('password-submit').click();
    await expectPath(page, '/portal');
    await page.getByTestId('face-admin').click();
    await page.getByTestId('side-nav-admin-users').click();
    await page.getByTestId('user-zhaoliu').waitFor();
    assert.equal(await page.getByTestId('user-state-zhaoliu').locator('[data-state="must-change"]').count(), 0);
  },
);

e2e(
  'a citizen turns on two-step verification and then signs in with a code',
  {
    env,
    setup: [userAdd('zhangsan', 'Zhang#San2026', { role: 'citizen', idNumber: '11010519491231002X', displayName: '张三' })],
  },
  async ({ page, server, browser }) => {
    await signIn(page, server, 'zhangsan', 'Zhang#San2026');
    await expectPath(page, '/portal');
    await page.getByTestId('user-menu').click();
    await page.getByTestId('user-menu-account').click();
    await expectPath(page, '/account');
    await expectText(page.getByTestId('account-id-number'), '110105********002X');
    assert.equal(await page.getByTestId('totp-status').getAttribute('data-state'), 'none');
    await page.getByTestId('session-current').waitFor();

    // Another device of the same citizen: its session is listed and can be ended here.
    const phone = await apiCall(server, 'POST', '/api/auth/login', { body: { username: 'zhangsan', password: 'Zhang#San2026' } });
    const phoneSession = (await apiCall(server, 'GET', '/api/me/sessions', { token: phone.body.token })).body.items.find(
      (/** @type {any} */ s) => s.current,
    ).id;
    await page.getByTestId('sessions-refresh').click();
    await page.getByTestId(`session-revoke-${phoneSession}`).click();
    await confirmDialog(page);
    await page.getByTestId(`session-revoke-${phoneSession}`).waitFor({ state: 'detached' });
    assert.equal((await apiCall(server, 'GET', '/api/me', { token: phone.body.token })).status, 401);

    // Enrolment: the QR code as an image, the key as text, confirmed with a current code.
    await page.getByTestId('totp-start').click();
    const secret = /** @type {string} */ (await page.getByTestId('totp-secret').getAttribute('data-secret'));
    assert.match(secret, /^[A-Z2-7]{32,}$/);
    assert.equal((await page.getByTestId('totp-secret').textContent())?.replace(/\s/g, ''), secret);
    assert.match((await page.getByTestId('totp-qr').getAttribute('src')) ?? '', /^data:image\/svg\+xml;charset=utf-8,%3Csvg/);
    await page.getByTestId('totp-code').fill(totp(secret));
    await page.getByTestId('totp-confirm').click();
    await page.locator('[data-testid="totp-status"][data-state="enrolled"]').waitFor();

    // The recovery codes, shown this once; the account page then only counts them.
    await page.getByTestId('recovery-codes').waitFor();
    const codes = await page.getByTestId('recovery-code').allTextContents();
    assert.equal(codes.length, 10);
    for (const c of codes) assert.match(c.trim(), /^[2-9a-km-np-z]{4}-[2-9a-km-np-z]{4}-[2-9a-km-np-z]{4}$/);
    assert.equal(new Set(codes).size, 10);
    await page.getByTestId('recovery-done').click();
    await page.getByTestId('recovery-codes').waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('recovery-left').getAttribute('data-left'), '10');

    // Signing out, and in again: the second step asks for the code.
    await page.getByTestId('user-menu').click();
    await page.getByTestId('user-menu-logout').click();
    await expectPath(page, '/login');
    await page.getByTestId('sign-in').waitFor({ state: 'detached' });
    allowRefusal(browser, 401, '/api/auth/login');
    await page.getByTestId('login-username').fill('zhangsan');
    await page.getByTestId('login-password').fill('Zhang#San2026');
    await page.getByTestId('login-submit').click();
    await expectText(page.getByTestId('login-totp-hint'), /zhangsan/);
    assert.equal(await page.getByTestId('login-error').count(), 0);

    // A wrong code is refused beside the field.
    const good = totp(secret, Date.now() + 30_000);
    const wrong = good.replace(/^./, (d) => String((Number(d) + 5) % 10));
    await page.getByTestId('login-totp').fill(wrong);
    await page.getByTestId('login-submit').click();
    await expectText(page.getByTestId('login-totp-error'), /wrong/);

    // The code of the next 30-second step: the one of enrolment may not be used twice.
    await page.getByTestId('login-totp').fill(totp(secret, Date.now() + 30_000));
    await page.getByTestId('login-submit').click();
    await expectPath(page, '/portal');
    await expectText(page.getByTestId('user-menu-name'), '张三');

    // Without the phone: a recovery code stands in once, and the page says how many are left.
    /** @param {string} code */
    const withRecovery = async (code) => {
      await page.getByTestId('login-username').fill('zhangsan');
      await page.getByTestId('login-password').fill('Zhang#San2026');
      await page.getByTestId('login-submit').click();
      await page.getByTestId('login-totp-hint').waitFor();
      await page.getByTestId('login-use-recovery').click();
      await page.getByTestId('login-recovery').fill(code);
      await page.getByTestId('login-submit').click();
    };
    await signOut(page);
    await withRecovery(codes[0].trim().toUpperCase());
    await expectPath(page, '/portal');
    await expectText(page.locator('.el-message'), /9/);
    await signOut(page);
    await withRecovery(codes[0].trim());
    await expectText(page.getByTestId('login-recovery-error'), /used already|wrong/);
    assert.equal(await page.getByTestId('login-recovery').count(), 1, 'a refused code keeps the code step');
    await page.getByTestId('login-recovery').fill(codes[1].trim());
    await page.getByTestId('login-submit').click();
    await expectPath(page, '/portal');
    await page.goto(server.url('/account'));
    assert.equal(await page.getByTestId('recovery-left').getAttribute('data-left'), '8');

  },
);

e2e(
  'recovery codes are renewed with a current code from the app, and the old set stops working',
  { env, setup: [CITY, userAdd('wang.audit', 'Wang#Audit2026', { role: 'audit_admin', org: '330100', displayName: '王审计' })] },
  async ({ page, server, browser }) => {
    const signedIn = await apiCall(server, 'POST', '/api/auth/login', { body: { username: 'wang.audit', password: 'Wang#Audit2026' } });
    const token = signedIn.body.token;
    const { secret } = (await apiCall(server, 'POST', '/api/me/totp/secret', { token })).body;
    const enrolled = await apiCall(server, 'POST', '/api/me/totp', { token, body: { secret, code: totp(secret) } });
    assert.equal(enrolled.status, 200);
    const first = enrolled.body.recovery_codes;

    // Signed in with a recovery code (the app's current code was spent on enrolment).
    await page.goto(server.url('/login'));
    await page.getByTestId('login-username').fill('wang.audit');
    await page.getByTestId('login-password').fill('Wang#Audit2026');
    allowRefusal(browser, 401, '/api/auth/login');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-use-recovery').click();
    await page.getByTestId('login-recovery').fill(first[0]);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((url) => url.pathname !== '/login');
    await page.goto(server.url('/account'));
    assert.equal(await page.getByTestId('recovery-left').getAttribute('data-left'), '9');

    // A wrong code is refused beside the field; a current one gives a new set, shown once.
    allowRefusal(browser, 400, '/api/me/totp/recovery-codes');
    await page.getByTestId('recovery-renew').click();
    await page.getByTestId('recovery-renew-code').fill('000000');
    await page.getByTestId('recovery-renew-confirm').click();
    await page.getByTestId('recovery-renew-error').waitFor();
    await page.getByTestId('recovery-renew-code').fill(totp(secret, Date.now() + 30_000));
    await page.getByTestId('recovery-renew-confirm').click();
    await page.getByTestId('recovery-codes').waitFor();
    const renewed = (await page.getByTestId('recovery-code').allTextContents()).map((c) => c.trim());
    assert.equal(renewed.length, 10);
    assert.ok(!renewed.includes(first[1]));
    await page.getByTestId('recovery-done').click();
    assert.equal(await page.getByTestId('recovery-left').getAttribute('data-left'), '10');
    const old = await apiCall(server, 'POST', '/api/auth/login', {
      body: { username: 'wang.audit', password: 'Wang#Audit2026', recovery_code: first[1] },
    });
    assert.equal(old.status, 401);
    const fresh = await apiCall(server, 'POST', '/api/auth/login', {
      body: { username: 'wang.audit', password: 'Wang#Audit2026', recovery_code: renewed[0] },
    });
    assert.equal(fresh.status, 200);
  },
);

e2e(
  'the system administrator resets the lost second factor of an account',
  { env, setup: [CITY, SYSADMIN, userAdd('li.audit', 'Li#Audit2026', { role: 'audit_admin', org: '330100', displayName: '李审计' })] },
  async ({ page, server }) => {
    // li.audit enrols through the API, then loses the phone.
    const signedIn = await apiCall(server, 'POST', '/api/auth/login', { body: { username: 'li.audit', password: 'Li#Audit2026' } });
    const token = signedIn.body.token;
    const { secret } = (await apiCall(server, 'POST', '/api/me/totp/secret', { token })).body;
    const enrolled = await apiCall(server, 'POST', '/api/me/totp', { token, body: { secret, code: totp(secret) } });
    assert.equal(enrolled.status, 200);

    await signIn(page, server, 'sysadmin', 'Sys#Admin2026');
    await page.goto(server.url('/admin/users'));
    await page.getByTestId('user-factor-reset-li.audit').click();
    await confirmDialog(page);
    await expectText(page.locator('.el-message'), /李审计/);
    await page.getByTestId('user-factor-reset-li.audit').waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('user-factor-reset-sysadmin').count(), 0, 'never one\'s own');
    assert.equal((await apiCall(server, 'GET', '/api/me', { token })).status, 401, 'its sessions ended');
    const again = await apiCall(server, 'POST', '/api/auth/login', { body: { username: 'li.audit', password: 'Li#Audit2026' } });
    assert.equal(again.status, 200);
    assert.equal(again.body.user.totp_enrolled, false);
  },
);

e2e('the audit administrator sees no user or role pages', { env, setup: [CITY, AUDITOR] }, async ({ page, server }) => {
  await signIn(page, server, 'auditor', 'Aud#Admin2026');
  await expectPath(page, '/admin');
  assert.deepEqual(await sideNav(page), ['side-nav-overview', 'side-nav-admin-audit', 'side-nav-admin-status']);
  assert.equal(await page.getByTestId('face-entry-users').count(), 0);
  assert.equal(await page.getByTestId('face-entry-roles').count(), 0);
  assert.equal(await page.getByTestId('face-sign-in-hint').count(), 0);

  // Opened directly, the page says it is not for this account (and asks the server nothing).
  const calls = /** @type {string[]} */ ([]);
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/api/users')) calls.push(r.url());
  });
  await page.goto(server.url('/admin/users'));
  await page.getByTestId('no-permission').waitFor();
  await expectText(page.getByTestId('page-title'), '没有权限');
  await expectText(page.getByTestId('no-permission-needed'), 'user.read');
  await expectPath(page, '/admin/users');
  await page.goto(server.url('/admin/roles'));
  await expectText(page.getByTestId('no-permission-needed'), 'grant.manage');
  assert.deepEqual(calls, []);

  // In English too.
  await page.getByTestId('locale-switch').click();
  await page.getByTestId('locale-option-en').click();
  await expectText(page.getByTestId('page-title'), 'No permission');
  await page.getByTestId('user-menu').click();
  await expectText(page.getByTestId('user-menu-logout'), 'Sign out');
});

e2e(
  'online users: a forced sign-out ends the session, and a page whose session ended goes to sign-in',
  { env, setup: [CITY, SYSADMIN] },
  async ({ page, server, browser }) => {
    await signIn(page, server, 'sysadmin', 'Sys#Admin2026');
    // A second session of the same account, from outside the browser.
    const other = await apiCall(server, 'POST', '/api/auth/login', { body: { username: 'sysadmin', password: 'Sys#Admin2026' } });
    assert.equal(other.status, 200);

    await page.getByTestId('side-nav-admin-online').click();
    await expectText(page.getByTestId('page-title'), '在线用户');
    const sessions = await apiCall(server, 'GET', '/api/sessions', { token: other.body.token });
    const otherId = sessions.body.items.find((/** @type {any} */ s) => s.current).id;
    const browserId = sessions.body.items.find((/** @type {any} */ s) => !s.current).id;
    await page.getByTestId(`online-${otherId}-user`).waitFor();
    assert.equal(await page.getByTestId(`online-end-${browserId}`).count(), 0, 'no forced sign-out for the own session');

    await page.getByTestId(`online-end-${otherId}`).click();
    await confirmDialog(page);
    await page.getByTestId(`online-${otherId}-user`).waitFor({ state: 'detached' });
    assert.equal((await apiCall(server, 'GET', '/api/me', { token: other.body.token })).status, 401);

    // Now the browser's own session is ended from elsewhere: its next request is a 401.
    const third = await apiCall(server, 'POST', '/api/auth/login', { body: { username: 'sysadmin', password: 'Sys#Admin2026' } });
    assert.equal((await apiCall(server, 'DELETE', `/api/sessions/${browserId}`, { token: third.body.token })).status, 204);
    allowRefusal(browser, 401, '/api/sessions');
    await page.getByTestId('online-refresh').click();
    await expectPath(page, '/login?redirect=/admin/online');
    await page.getByTestId('sign-in').waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('user-menu').count(), 0);
  },
);

const CLERKS = Array.from({ length: 22 }, (_, i) =>
  userAdd(`clerk${String(i + 1).padStart(2, '0')}`, 'Clerk#Pass2026', { role: 'audit_admin', org: '330108' }),
);

e2e(
  'organisations are renamed and moved; accounts are unlocked, reset, disabled and paged through',
  {
    env,
    timeout: 180_000,
    setup: [
      CITY,
      ['org', 'add', '--code', '330106', '--name', '西湖区人民政府', '--kind', 'district_government', '--parent', '330100'],
      ['org', 'add', '--code', '330108', '--name', '滨江区人民政府', '--kind', 'district_government', '--parent', '330100'],
      ['org', 'add', '--code', '330106001', '--name', '西溪街道', '--kind', 'street_office', '--parent', '330106'],
      SYSADMIN,
      ...CLERKS,
    ],
  },
  async ({ page, server, browser }) => {
    await signIn(page, server, 'sysadmin', 'Sys#Admin2026');

    // Rename the street office, then move it to the other district.
    await page.getByTestId('side-nav-admin-orgs').click();
    await page.getByTestId('org-node-330106001').click();
    await page.getByTestId('org-edit').click();
    await page.getByTestId('org-form-name').fill('西溪街道办事处');
    await page.getByTestId('org-form-submit').click();
    await expectText(page.getByTestId('org-detail-name'), '西溪街道办事处');
    await page.getByTestId('org-move').click();
    await pickOrg(page, 'org-move-parent', 'move', '滨江区');
    await page.getByTestId('org-move-submit').click();
    await expectText(page.getByTestId('org-detail-trail'), '杭州市 / 滨江区人民政府 / 西溪街道办事处');

    // Pages of 20, by user name.
    await page.getByTestId('side-nav-admin-users').click();
    await page.getByTestId('user-clerk20').waitFor();
    assert.equal(await page.getByTestId('user-clerk21').count(), 0);
    await page.getByTestId('users-next').click();
    await page.getByTestId('user-sysadmin').waitFor();
    await page.getByTestId('user-clerk21').waitFor();
    await expectText(page.getByTestId('users-page-number'), '第 2 页');
    assert.equal(await page.getByTestId('users-next').isDisabled(), true);
    await page.getByTestId('users-prev').click();
    await page.getByTestId('user-clerk01').waitFor();
    await page.getByTestId('users-search').fill('clerk2');
    await page.getByTestId('user-clerk01').waitFor({ state: 'detached' });
    assert.deepEqual(
      await page.locator('[data-testid^="user-clerk"]').evaluateAll((els) => els.map((e) => e.textContent?.trim())),
      ['clerk20', 'clerk21', 'clerk22'],
    );

    // clerk20 locks itself out; the administrator unlocks it.
    for (let i = 0; i < 5; i++) {
      await apiCall(server, 'POST', '/api/auth/login', { body: { username: 'clerk20', password: 'wrong' } });
    }
    await page.getByTestId('users-refresh').click();
    await page.getByTestId('user-state-clerk20').locator('[data-state="locked"]').waitFor();
    await page.getByTestId('user-unlock-clerk20').click();
    await page.getByTestId('user-state-clerk20').locator('[data-state="locked"]').waitFor({ state: 'detached' });
    const unlocked = await apiCall(server, 'POST', '/api/auth/login', { body: { username: 'clerk20', password: 'Clerk#Pass2026' } });
    assert.equal(unlocked.status, 200);

    // A new password for clerk21, to be changed at the next sign-in.
    await page.getByTestId('user-reset-clerk21').click();
    await page.getByTestId('reset-password').fill('New#Clerk2026');
    await page.getByTestId('reset-confirm').fill('New#Clerk2026');
    await page.getByTestId('reset-submit').click();
    await page.getByTestId('user-state-clerk21').locator('[data-state="must-change"]').waitFor();
    const reset = await apiCall(server, 'POST', '/api/auth/login', { body: { username: 'clerk21', password: 'New#Clerk2026' } });
    assert.equal(reset.body.user.must_change_password, true);

    // clerk22 is disabled (and cannot sign in), then enabled again.
    await page.getByTestId('user-disable-clerk22').click();
    await confirmDialog(page);
    await page.getByTestId('user-state-clerk22').locator('[data-state="disabled"]').waitFor();
    const refused = await apiCall(server, 'POST', '/api/auth/login', { body: { username: 'clerk22', password: 'Clerk#Pass2026' } });
    assert.equal(refused.status, 401);
    await page.getByTestId('user-enable-clerk22').click();
    await page.getByTestId('user-state-clerk22').locator('[data-state="active"]').waitFor();
  },
);

e2e(
  "the system administrator raises a citizen's real-name level, and the citizen sees it",
  {
    env,
    setup: [CITY, SYSADMIN, userAdd('zhangsan', 'Zhang#San2026', { role: 'citizen', idNumber: '11010519491231002X', displayName: '张三' })],
  },
  async ({ page, server }) => {
    await signIn(page, server, 'sysadmin', 'Sys#Admin2026');
    await page.goto(server.url('/admin/users'));
    const tag = page.getByTestId('user-real-name-zhangsan');
    assert.equal(await tag.getAttribute('data-level'), '1');
    assert.equal(await page.getByTestId('user-real-name-set-sysadmin').count(), 0, 'staff have no real-name level');
    await page.getByTestId('user-real-name-set-zhangsan').click();
    await page.locator('[data-testid="real-name-level-3"]:visible').click();
    await confirmDialog(page);
    await expectText(page.locator('.el-message'), /张三/);
    await page.locator('[data-testid="user-real-name-zhangsan"][data-level="3"]').waitFor();
    await signOut(page);

    await signIn(page, server, 'zhangsan', 'Zhang#San2026');
    await page.goto(server.url('/account'));
    assert.equal(await page.getByTestId('account-real-name').getAttribute('data-level'), '3');
    await expectText(page.getByTestId('account-real-name'), /3 级/);
  },
);

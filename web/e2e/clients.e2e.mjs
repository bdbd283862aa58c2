// System clients in the browser, end to end: the security administrator registers a
// department's system and sees its secret once; the system signs a request with it
// (DESIGN.md: HMAC-SM3 over the canonical request) and is recognised; a rotation gives a
// new secret while the old one keeps working for the grace period; a disabled client is
// refused. The audit administrator is not offered the page.
import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { e2e, expectText } from './harness.mjs';
import { CITY, FAST_HASHING, allowRefusal, confirmDialog, pickOrg, signIn, signOut, userAdd } from './identity-helpers.mjs';

const env = { ...FAST_HASHING };
const SECADMIN = userAdd('secadmin', 'Sec#Admin2026', { role: 'sec_admin', org: '330100', displayName: '李安全' });
const AUDITADMIN = userAdd('auditadmin', 'Aud#Admin2026', { role: 'audit_admin', org: '330100', displayName: '赵审计' });

/**
 * A signed GET without query or body, as a department's system sends it.
 * @param {{url: (p: string) => string}} server @param {string} path
 * @param {string} clientId @param {string} secret
 */
async function signedGet(server, path, clientId, secret) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomBytes(16).toString('hex');
  const bodyHash = createHash('sm3').update('').digest('hex');
  const canonical = ['GET', path, '', timestamp, nonce, bodyHash].join('\n');
  const signature = createHmac('sm3', secret).update(canonical).digest('hex');
  const res = await fetch(server.url(path), {
    headers: { 'X-Zw-Client': clientId, 'X-Zw-Timestamp': timestamp, 'X-Zw-Nonce': nonce, 'X-Zw-Signature': signature },
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

test('the signing helper hashes with SM3 (GB/T 32905 "abc" vector)', () => {
  assert.equal(
    createHash('sm3').update('abc').digest('hex'),
    '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
  );
});

e2e('the security administrator registers, rotates and disables a system client', { env, setup: [CITY, SECADMIN] }, async ({ page, server, browser }) => {
  await signIn(page, server, 'secadmin', 'Sec#Admin2026');
  await page.getByTestId('side-nav-admin-clients').click();
  await expectText(page.getByTestId('page-title'), '接入系统');

  // A name is required, and the form says so beside the field.
  await page.getByTestId('clients-register').click();
  await pickOrg(page, 'client-form-org', 'client-form', '杭州市');
  await page.getByTestId('client-form-submit').click();
  await page.getByTestId('client-form-name-error').waitFor();
  await page.getByTestId('client-form-name').fill('杭州市民政局低保系统');
  await page.getByTestId('client-form-submit').click();

  // The secret, once.
  const dialog = page.getByTestId('client-secret-dialog');
  await dialog.waitFor();
  const clientId = (await page.getByTestId('client-secret-id').textContent())?.trim() ?? '';
  const secret = (await page.getByTestId('client-secret-value').textContent())?.trim() ?? '';
  assert.match(clientId, /^zw_/);
  assert.ok(secret.length >= 32, secret);
  await page.getByTestId('client-secret-done').click();
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await page.getByText(secret).count(), 0, 'the secret is not shown again');
  await page.getByTestId(`client-row-${clientId}`).waitFor();

  const me = await signedGet(server, '/api/me', clientId, secret);
  assert.equal(me.status, 200);
  assert.equal(me.body.kind, 'client');
  assert.equal(me.body.client.name, '杭州市民政局低保系统');

  // Rotation: a new secret, and the old one still works for the grace period.
  await page.getByTestId(`client-rotate-${clientId}`).click();
  await confirmDialog(page);
  await dialog.waitFor();
  await page.getByTestId('client-secret-grace').waitFor();
  const rotated = (await page.getByTestId('client-secret-value').textContent())?.trim() ?? '';
  assert.notEqual(rotated, secret);
  await page.getByTestId('client-secret-done').click();
  assert.equal((await signedGet(server, '/api/me', clientId, rotated)).status, 200);
  assert.equal((await signedGet(server, '/api/me', clientId, secret)).status, 200, 'grace period');

  // Disabled: refused, whatever the secret.
  await page.getByTestId(`client-disable-${clientId}`).click();
  await confirmDialog(page);
  await page.locator(`[data-testid="client-state-${clientId}"][data-state="disabled"]`).waitFor();
  assert.equal((await signedGet(server, '/api/me', clientId, rotated)).status, 401);
  await page.getByTestId(`client-enable-${clientId}`).click();
  await confirmDialog(page);
  await page.locator(`[data-testid="client-state-${clientId}"][data-state="active"]`).waitFor();
  assert.equal((await signedGet(server, '/api/me', clientId, rotated)).status, 200);

  // The filter finds it by part of its name; a name that matches nothing empties the table.
  await page.getByTestId('clients-search').fill('低保');
  await page.getByTestId(`client-row-${clientId}`).waitFor();
  await page.getByTestId('clients-search').fill('不存在的系统');
  await page.getByTestId(`client-row-${clientId}`).waitFor({ state: 'detached' });
  allowRefusal(browser, 401, '/api/me');
});

e2e('the audit administrator is not offered the systems page, and the server refuses it anyway', { env, setup: [CITY, AUDITADMIN] }, async ({ page, server }) => {
  await signIn(page, server, 'auditadmin', 'Aud#Admin2026');
  assert.equal(await page.getByTestId('side-nav-admin-clients').count(), 0);
  await page.goto(server.url('/admin/clients'));
  await page.getByTestId('no-permission').waitFor();
  await expectText(page.getByTestId('no-permission-needed'), 'client.manage');
  // The page asks nothing of the server; asked directly, the server refuses.
  const signedIn = await fetch(server.url('/api/auth/login'), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'auditadmin', password: 'Aud#Admin2026' }),
  }).then((r) => r.json());
  const refused = await fetch(server.url('/api/clients'), { headers: { Authorization: `Bearer ${signedIn.token}` } });
  assert.equal(refused.status, 403);
  await signOut(page);
});

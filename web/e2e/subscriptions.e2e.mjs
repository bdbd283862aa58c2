// Push subscriptions in the browser, end to end, on the seeded Hangzhou demo: the 人社 clerk
// subscribes to 户籍人口基本信息 with the purpose of the department's grant, pointing at a
// receiver this test runs on 127.0.0.1, and sees the signing secret once. 公安 then
// changes a record through the record API; the receiver refuses the first push, so the
// list shows 重试中, and accepts the retry, so the list shows 正常 with one push — signed
// with the secret the clerk was shown.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import { e2e, expectText } from './harness.mjs';
import { FAST_HASHING, apiCall, pickOption, signIn } from './identity-helpers.mjs';

const env = { ...FAST_HASHING, ZHENGWU_WEBHOOK_RETRY_BASE_MS: '1000', ZHENGWU_JOBS_POLL_MS: '200' };
const DEMO = ['demo', '--seed-only'];
const CLERK = ['rsj.clerk', 'Demo#Clerk2026'];
const NAME = '户籍人口基本信息';
const PURPOSE = '社会保险参保登记身份核验';

/** A webhook receiver: answers 500 to the first push and 200 after; keeps what it got. */
async function startReceiver() {
  /** @type {{headers: import('node:http').IncomingHttpHeaders, body: string, status: number}[]} */
  const hooks = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const status = hooks.length === 0 ? 500 : 200;
      hooks.push({ headers: req.headers, body, status });
      res.writeHead(status, { 'Content-Type': 'text/plain' }).end(status === 200 ? 'ok' : 'not now');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return { url: `http://127.0.0.1:${address.port}/zhengwu/hook`, hooks, close: () => new Promise((r) => server.close(r)) };
}

/**
 * Clicks refresh until the row's delivery state is `health` (the page also refreshes
 * itself every few seconds); fails after `ms`.
 * @param {import('playwright-core').Page} page @param {string} id @param {string} health @param {number} ms
 */
async function waitForHealth(page, id, health, ms = 30_000) {
  const until = Date.now() + ms;
  const tag = page.getByTestId(`subscription-health-${id}`);
  for (;;) {
    if ((await tag.getAttribute('data-health')) === health) return;
    if (Date.now() > until) assert.fail(`subscription ${id} did not reach ${health} (is ${await tag.getAttribute('data-health')})`);
    await page.getByTestId('subscriptions-refresh').click();
    await page.waitForTimeout(400);
  }
}

e2e(
  'a department subscribes to a granted resource, sees the secret once, and follows a push through a retry to delivery',
  { env, setup: [DEMO], timeout: 180_000 },
  async ({ page, server }) => {
    const receiver = await startReceiver();
    try {
      await signIn(page, server, ...CLERK);
      await page.getByTestId('face-workbench').click();
      await page.getByTestId('side-nav-workbench-subscriptions').click();
      await expectText(page.getByTestId('page-title'), '数据订阅');
      await page.getByTestId('subscriptions-empty').waitFor();

      // ---- subscribe: a granted resource, the grant's purpose, the receiver ----
      await page.getByTestId('subscriptions-new').click();
      await page.getByTestId('subscribe-dialog').waitFor();
      await pickOption(page, 'subscribe-resource', 'subscribe-resource-popper', NAME);
      const purpose = page.getByTestId('subscribe-purpose');
      if (!((await purpose.textContent()) ?? '').includes(PURPOSE))
        await pickOption(page, 'subscribe-purpose', 'subscribe-purpose-popper', PURPOSE);
      // An address that is neither https:// nor http:// is refused before anything is sent.
      await page.getByTestId('subscribe-url').fill('ftp://rsj.example.cn/hook');
      await page.getByTestId('subscribe-submit').click();
      await expectText(page.getByTestId('subscribe-dialog').locator('.el-form-item.is-error .el-form-item__error'), /https:\/\//);
      await page.getByTestId('subscribe-url').fill(receiver.url);
      await page.getByTestId('subscribe-submit').click();

      const secretEl = page.getByTestId('subscription-secret');
      await secretEl.waitFor();
      const secret = ((await secretEl.textContent()) ?? '').trim();
      assert.match(secret, /^[0-9a-f]{64}$/, 'the secret, shown once');
      await page.getByTestId('subscription-secret-done').click();

      const row = page.locator('[data-testid^="subscription-row-"]').first();
      await row.waitFor();
      const id = ((await row.getAttribute('data-testid')) ?? '').replace('subscription-row-', '');
      assert.match(id, /^\d+$/);
      await waitForHealth(page, id, 'ok');
      assert.equal(await page.locator('[data-testid="subscription-secret"]').count(), 0, 'never shown again');

      // ---- 公安 changes 张三's phone through the record API ----
      const login = await apiCall(server, 'POST', '/api/auth/login', { body: { username: 'gaj.clerk', password: 'Demo#Clerk2026' } });
      assert.equal(login.status, 200);
      const res = await fetch(server.url('/api/catalog/resources/gaj.population/records'), {
        method: 'POST',
        headers: { Authorization: `Bearer ${login.body.token}`, 'Content-Type': 'application/json', 'Idempotency-Key': 'e2e-subscription-1' },
        body: JSON.stringify({
          records: [{ id_number: '330106198805121237', name: '张三', gender: '男', birth_date: '1988-05-12', phone: '13905712345' }],
        }),
      });
      assert.equal(res.status, 200, await res.text());

      // ---- the receiver refuses the first push: 重试中; then takes it: 正常 ----
      await waitForHealth(page, id, 'retrying');
      await expectText(page.getByTestId(`subscription-health-${id}`), '重试中');
      await expectText(page.getByTestId(`subscription-state-line-${id}`), /已失败 1 次/);
      await waitForHealth(page, id, 'ok');
      await expectText(page.getByTestId(`subscription-health-${id}`), '正常');
      assert.equal(await page.getByTestId(`subscription-counts-${id}`).getAttribute('data-delivered'), '1');

      assert.equal(receiver.hooks.length, 2);
      const delivered = receiver.hooks[1];
      const payload = JSON.parse(delivered.body);
      assert.equal(payload.resource, 'gaj.population');
      assert.equal(payload.changes[0].key, '330106198805121237');
      assert.equal(payload.changes[0].record.phone, undefined, 'only granted fields');
      if (crypto.getHashes().includes('sm3')) {
        const expected = crypto.createHmac('sm3', secret).update(`${delivered.headers['x-zw-timestamp']}\n${delivered.body}`).digest('hex');
        assert.equal(delivered.headers['x-zw-signature'], expected, 'signed with the secret shown once');
      }

      // The dead-letter drawer opens, empty.
      await page.getByTestId(`subscription-letters-${id}`).click();
      await page.locator('.el-drawer .el-empty__description', { hasText: '没有死信' }).waitFor();
    } finally {
      await receiver.close();
    }
  },
);

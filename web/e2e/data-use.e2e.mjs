// A citizen's data-use record in the browser, end to end, on the seeded Hangzhou demo:
// a system of 人社局 (registered with the real `zhengwu client add` while the server runs)
// reads 张三's household record through the exchange, signed with HMAC-SM3 and stating the
// purpose of 人社's grant; 张三 then opens 我的数据使用记录 from the user menu and finds the
// read — department, system, resource, purpose — and narrows the list by department and
// day; the demo's own reads of his record are listed below it. 李四, whose record nobody
// read, sees the empty list explained.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { e2e, expectPath, expectText } from './harness.mjs';
import { FAST_HASHING, signIn, signOut } from './identity-helpers.mjs';

const env = { ...FAST_HASHING };
const DEMO = ['demo', '--seed-only'];
const ZHANGSAN = ['zhangsan', 'Demo#Citizen2026'];
const LISI = ['lisi', 'Demo#Citizen2026'];
const ID_NUMBER = '330106198805121237';
const RESOURCE = 'gaj.population';
// 人社's grant on the population register (the demo's approved application) is for this purpose.
const PURPOSE = '社会保险参保登记身份核验';
const CLIENT_NAME = '人社参保登记系统';

/**
 * `zhengwu client add` against the running server's database (the CLI works beside a
 * server): the new client's id and secret.
 * @param {{dataDir: string, tempDir: string}} server
 * @returns {Promise<{client_id: string, secret: string}>}
 */
async function addClient(server) {
  const bin = path.resolve(process.env.INIT_CWD ?? process.cwd(), /** @type {string} */ (process.env.ZHENGWU_BIN));
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ZHENGWU_')));
  const { stdout } = await promisify(execFile)(bin, ['client', 'add', '--org', '330100-RSJ', '--name', CLIENT_NAME], {
    cwd: server.tempDir,
    env: { ...inherited, ...env, ZHENGWU_DATA_DIR: server.dataDir },
    timeout: 60_000,
  });
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last);
}

/**
 * A signed exchange read of one record (DESIGN.md "Systems": HMAC-SM3 over the canonical
 * request), stating its purpose in X-Zw-Purpose.
 * @param {{url: (p: string) => string}} server
 * @param {{client_id: string, secret: string}} client
 * @param {string} apiPath  as sent (percent-encoded)
 * @param {string} purpose
 */
async function signedRead(server, client, apiPath, purpose) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomBytes(16).toString('hex');
  const bodyHash = createHash('sm3').update('').digest('hex');
  const canonical = ['GET', apiPath, '', timestamp, nonce, bodyHash].join('\n');
  const signature = createHmac('sm3', client.secret).update(canonical).digest('hex');
  const res = await fetch(server.url(apiPath), {
    headers: {
      'X-Zw-Client': client.client_id,
      'X-Zw-Timestamp': timestamp,
      'X-Zw-Nonce': nonce,
      'X-Zw-Signature': signature,
      'X-Zw-Purpose': encodeURIComponent(purpose),
    },
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

e2e(
  'a citizen sees which department read their record, through which system, for what purpose',
  { env, setup: [DEMO], timeout: 180_000 },
  async ({ page, server }) => {
    const client = await addClient(server);
    assert.match(client.client_id, /^zw_/);
    const read = await signedRead(server, client, `/api/exchange/resources/${RESOURCE}/records/${ID_NUMBER}`, PURPOSE);
    assert.equal(read.status, 200, JSON.stringify(read.body));
    assert.equal(read.body.record.id_number, ID_NUMBER);
    // Another purpose than the grant's is refused.
    const refused = await signedRead(server, client, `/api/exchange/resources/${RESOURCE}/records/${ID_NUMBER}`, '其他用途');
    assert.equal(refused.status, 403);

    // ---- 张三 opens the record from the user menu ----
    await signIn(page, server, ...ZHANGSAN);
    await page.getByTestId('user-menu').click();
    await page.getByTestId('user-menu-data-use').click();
    await expectPath(page, '/portal/data-use');
    await expectText(page.getByTestId('page-title'), '我的数据使用记录');
    await expectText(page.getByTestId('data-use-org-0'), '杭州市人力资源和社会保障局');
    await expectText(page.getByTestId('data-use-client-0'), CLIENT_NAME);
    await expectText(page.getByTestId('data-use-resource-0'), '户籍人口基本信息');
    await expectText(page.getByTestId('data-use-purpose-0'), PURPOSE);
    await expectText(page.getByTestId('data-use-records-0'), '1');
    await expectText(page.getByTestId('data-use-time-0'), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+08:00$/);
    // The demo's own systems read his record before (demo_exchange.cpp); of this
    // client's two calls only the granted one is listed: the refused read returned nothing.
    assert.equal(
      await page.locator('[data-testid^="data-use-client-"]', { hasText: CLIENT_NAME }).count(),
      1,
      'the refused read returned nothing of his',
    );
    await expectText(page.getByTestId('data-use-client-1'), '人社一体化经办平台');

    // Narrowed to the department that read: still there; to today's date: still there.
    await page.getByTestId('data-use-filter-org').click();
    await page.locator('.data-use-org-popper .el-select-dropdown__item:visible', { hasText: '杭州市人力资源和社会保障局' }).click();
    await page.getByTestId('data-use-search').click();
    await expectText(page.getByTestId('data-use-purpose-0'), PURPOSE);
    const day = ((await page.getByTestId('data-use-time-0').textContent()) ?? '').trim().slice(0, 10);
    await page.locator('[data-testid="data-use-filter-range"] input').first().fill(day);
    await page.locator('[data-testid="data-use-filter-range"] input').nth(1).fill(day);
    await page.locator('[data-testid="data-use-filter-range"] input').nth(1).press('Enter');
    await page.getByTestId('data-use-search').click();
    await expectText(page.getByTestId('data-use-purpose-0'), PURPOSE);
    // A day before it: nothing matches.
    const before = new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    await page.locator('[data-testid="data-use-filter-range"] input').first().fill(before);
    await page.locator('[data-testid="data-use-filter-range"] input').nth(1).fill(before);
    await page.locator('[data-testid="data-use-filter-range"] input').nth(1).press('Enter');
    await page.getByTestId('data-use-search').click();
    await expectText(page.locator('[data-testid="data-use-empty"] .el-empty__description'), '没有符合条件的记录');
    await page.getByTestId('data-use-reset').click();
    await expectText(page.getByTestId('data-use-purpose-0'), PURPOSE);
    await signOut(page);

    // ---- 李四: nobody read his record; the empty list says what would appear ----
    await signIn(page, server, ...LISI);
    await page.goto(server.url('/portal/data-use'));
    await expectText(page.locator('[data-testid="data-use-empty"] .el-empty__description'), /还没有部门读取过您的数据/);
  },
);

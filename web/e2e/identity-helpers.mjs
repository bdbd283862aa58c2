// Shared pieces of the identity browser tests: accounts made with the real CLI before the
// server starts, signing in through the page, the organisation picker, and a TOTP
// generator (RFC 6238) to play the authenticator app.
import { createHmac } from 'node:crypto';
import { expectPath, expectText } from './harness.mjs';

/**
 * Fast password hashing for tests, for the server and the setup commands alike; and
 * administrators made by the setup work without enrolling TOTP (the TOTP test enrols one,
 * and the C++ tests check the default, which requires it).
 */
export const FAST_HASHING = Object.freeze({ ZHENGWU_ARGON2_MEMORY_KIB: '4096', ZHENGWU_ADMIN_SECOND_FACTOR: 'optional' });

export const CITY = ['org', 'add', '--code', '330100', '--name', '杭州市', '--kind', 'city'];

/**
 * `zhengwu user add` arguments.
 * @param {string} username @param {string} password
 * @param {{role: string, org?: string, idNumber?: string, displayName?: string, mustChange?: boolean}} opts
 */
export function userAdd(username, password, { role, org, idNumber, displayName, mustChange }) {
  const args = ['user', 'add', '--username', username, '--password', password, '--role', role];
  if (org) args.push('--org', org);
  if (idNumber) args.push('--id-number', idNumber);
  if (displayName) args.push('--display-name', displayName);
  if (mustChange) args.push('--must-change-password');
  return args;
}

/** @param {string} text RFC 4648 base32, spaces and padding ignored @returns {Buffer} */
export function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of text.replace(/[\s=]/g, '').toUpperCase()) {
    const v = alphabet.indexOf(ch);
    if (v < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/**
 * The TOTP code (RFC 6238: HMAC-SHA1, 30 s steps) of a key at a time.
 * @param {Buffer} key @param {number} timeMs @param {number} [digits]
 */
export function totpAt(key, timeMs, digits = 6) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(timeMs / 1000 / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(code).padStart(digits, '0');
}

/** @param {string} secret base32 @param {number} [timeMs] */
export const totp = (secret, timeMs = Date.now()) => totpAt(base32Decode(secret), timeMs);

/**
 * Signs in through the sign-in page and waits until it has left it.
 * @param {import('playwright-core').Page} page
 * @param {{url: (p: string) => string}} server
 * @param {string} username @param {string} password
 */
export async function signIn(page, server, username, password) {
  await page.goto(server.url('/login'));
  await expectText(page.getByTestId('page-title'), '登录');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => url.pathname !== '/login');
}

/**
 * Signs out through the user menu and waits for the sign-in page.
 * @param {import('playwright-core').Page} page
 */
export async function signOut(page) {
  await page.getByTestId('user-menu').click();
  await page.getByTestId('user-menu-logout').click();
  await page.waitForURL((url) => url.pathname === '/login');
  await page.getByTestId('user-menu').waitFor({ state: 'detached' });
}

/**
 * Chooses an organisation in an OrgPicker: opens it, filters by the text, clicks the match.
 * @param {import('playwright-core').Page} page
 * @param {string} testId  the picker's data-testid
 * @param {string} name  the picker's `name` (its dropdown's class)
 * @param {string} text  part of the organisation's name
 */
export async function pickOrg(page, testId, name, text) {
  const picker = page.getByTestId(testId);
  await picker.click();
  await picker.locator('input').first().fill(text);
  await page.locator(`.org-picker-popper--${name} .el-select-dropdown__item:visible`, { hasText: text }).first().click();
}

/**
 * Chooses an option of an el-select by its text.
 * @param {import('playwright-core').Page} page
 * @param {string} testId @param {string} popperClass @param {string} text
 */
export async function pickOption(page, testId, popperClass, text) {
  await page.getByTestId(testId).click();
  await page.locator(`.${popperClass} .el-select-dropdown__item:visible`, { hasText: text }).first().click();
}

export { expectPath, expectText };

/**
 * Lets the browser log the failed-resource error of one expected refusal (Chromium logs
 * every 4xx answer to fetch), and nothing else.
 * @param {{allowConsoleError: (re: RegExp) => void}} browser
 * @param {number} status  e.g. 409
 * @param {string} apiPath  the request path as a regular expression source, e.g. '/api/users/\\d+/grants'
 */
export function allowRefusal(browser, status, apiPath) {
  browser.allowConsoleError(new RegExp(`status of ${status} .*\\(http://127\\.0\\.0\\.1:\\d+${apiPath}(\\?[^)]*)?:\\d+\\)$`));
}

/** Confirms the open ElMessageBox. @param {import('playwright-core').Page} page */
export async function confirmDialog(page) {
  await page.locator('.el-message-box__btns .el-button--primary').click();
}

/**
 * A JSON request from Node (outside the browser), e.g. a second session of a user.
 * @param {{url: (p: string) => string}} server
 * @param {string} method @param {string} apiPath
 * @param {{token?: string, body?: unknown}} [opts]
 * @returns {Promise<{status: number, body: any}>}
 */
export async function apiCall(server, method, apiPath, { token, body } = {}) {
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(server.url(apiPath), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

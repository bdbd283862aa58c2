// Browser-test harness: runs the real `zhengwu serve` on a fresh data directory and a
// free loopback port, drives Debian's Chromium through playwright-core, and fails a test
// on any console error, page error or request that leaves the machine.
//
//   import { e2e, expectText } from './harness.mjs';
//   e2e('the status page shows the version', async ({ page, server }) => {
//     await page.goto(server.url('/admin/status'));
//     await expectText(page.getByTestId('status-version'), '0.1.0');
//   });
//
// Environment:
//   ZHENGWU_BIN        the server binary (required); relative paths are taken from where
//                      npm was started
//   ZHENGWU_CHROMIUM   the browser (default /usr/bin/chromium)
// A failed test leaves its server log and a screenshot under web/test-results/.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { constants as fsConstants, createWriteStream, openSync, closeSync } from 'node:fs';
import { access, cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_ROOT = path.join(WEB_DIR, 'dist');
export const RESULTS_DIR = path.join(WEB_DIR, 'test-results');
export const CHROMIUM = process.env.ZHENGWU_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);
const READY_LINE = /zhengwu listening on (http:\/\/\S+)/;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Servers still running; killed if the test process exits early (a timeout, Ctrl-C). */
const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** The absolute path of the server binary, or a clear error why there is none. */
async function serverBinary() {
  const bin = process.env.ZHENGWU_BIN;
  if (!bin) {
    throw new Error(
      'ZHENGWU_BIN is not set. The browser tests run the real server: build it, then run ' +
        '`ZHENGWU_BIN=/path/to/zhengwu npm run e2e`.',
    );
  }
  const resolved = path.resolve(process.env.INIT_CWD ?? process.cwd(), bin);
  try {
    await access(resolved, fsConstants.X_OK);
  } catch {
    throw new Error(`ZHENGWU_BIN=${bin}: ${resolved} is not an executable file.`);
  }
  return resolved;
}

async function assertBuilt() {
  try {
    await access(path.join(WEB_ROOT, 'index.html'));
  } catch {
    throw new Error(`${WEB_ROOT}/index.html is missing: run \`npm run build\` before \`npm run e2e\`.`);
  }
}

/**
 * @typedef {Object} Server
 * @property {string} baseURL  e.g. http://127.0.0.1:41234
 * @property {(p: string) => string} url  absolute URL of a path on the server
 * @property {string} tempDir  removed by `remove()`
 * @property {string} dataDir  ZHENGWU_DATA_DIR
 * @property {string} logFile  the server's stderr (and stdout after the ready line)
 * @property {() => Promise<string>} log
 * @property {(p: string) => Promise<{status: number, body: any}>} getJson  a GET from Node, outside the browser
 * @property {() => boolean} exited  whether the process has ended
 * @property {() => Promise<{code: number | null, signal: NodeJS.Signals | null}>} stop  SIGTERM, then wait
 * @property {() => Promise<void>} remove  delete the temp dir (after stop)
 */

/**
 * Runs one `$ZHENGWU_BIN` command to completion (a setup step before serving).
 * @param {string} bin @param {string[]} args @param {string} cwd @param {NodeJS.ProcessEnv} env
 * @returns {Promise<string>} its stdout
 */
function runCommand(bin, args, cwd, env) {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { cwd, env, timeout: 60_000, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`setup \`zhengwu ${args.join(' ')}\` failed: ${error.message}\n${stderr}${stdout}`));
      } else {
        resolve(stdout);
      }
    });
  });
}

/**
 * Starts `$ZHENGWU_BIN serve` on 127.0.0.1:0 with a fresh data dir and the built web app,
 * and resolves once it prints its listening line. `setup` commands run first, one after
 * the other, with the same environment and data dir (accounts, organisations):
 *   setup: [['org', 'add', '--code', '330100', '--name', '杭州市', '--kind', 'city'], ...]
 * @param {Object} [options]
 * @param {Record<string, string>} [options.env]  extra environment for the server
 * @param {string[][]} [options.setup]  `zhengwu` commands (arguments) to run before serving
 * @param {string[]} [options.args]  default ['serve']
 * @param {number} [options.startTimeoutMs]
 * @returns {Promise<Server>}
 */
export async function startServer({ env = {}, setup = [], args = ['serve'], startTimeoutMs = 30_000 } = {}) {
  const bin = await serverBinary();
  await assertBuilt();
  const tempDir = await mkdtemp(path.join(tmpdir(), 'zhengwu-e2e-'));
  const dataDir = path.join(tempDir, 'data');
  await mkdir(dataDir);
  const logFile = path.join(tempDir, 'server.log');

  // The server sees none of the caller's ZHENGWU_* settings (a database URL exported
  // for other tests, say): only the ones below and those the test passes.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ZHENGWU_')));
  const serverEnv = {
    ...inherited,
    ZHENGWU_LISTEN: '127.0.0.1:0',
    ZHENGWU_DATA_DIR: dataDir,
    ZHENGWU_WEB_ROOT: WEB_ROOT,
    ...env,
  };
  try {
    for (const command of setup) await runCommand(bin, command, tempDir, serverEnv);
  } catch (e) {
    await rm(tempDir, { recursive: true, force: true });
    throw e;
  }

  const logFd = openSync(logFile, 'a');
  const child = spawn(bin, args, {
    cwd: tempDir,
    env: serverEnv,
    stdio: ['ignore', 'pipe', logFd],
  });
  closeSync(logFd);
  running.add(child);

  /** @type {Error | null} */
  let spawnError = null;
  /** @type {Promise<{code: number | null, signal: NodeJS.Signals | null}>} */
  const exit = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
    // A binary that cannot be started never emits 'exit'.
    child.once('error', (e) => {
      spawnError = e;
      running.delete(child);
      resolve({ code: null, signal: null });
    });
  });
  let hasExited = false;
  void exit.then(() => {
    hasExited = true;
  });

  const stdoutLog = createWriteStream(logFile, { flags: 'a' });
  const lines = createInterface({ input: /** @type {import('node:stream').Readable} */ (child.stdout) });
  /** @type {(url: string) => void} */
  let onReady = () => {};
  const ready = new Promise((resolve) => {
    onReady = resolve;
  });
  let baseURL = '';
  lines.on('line', (line) => {
    stdoutLog.write(`[stdout] ${line}\n`);
    const m = !baseURL && READY_LINE.exec(line);
    if (m) {
      baseURL = m[1].replace(/\/+$/, '');
      onReady(baseURL);
    }
  });

  const readLog = () => readFile(logFile, 'utf8').catch(() => '');
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const failure = await Promise.race([
    ready.then(() => null),
    exit.then(({ code, signal }) =>
      spawnError
        ? `could not be started: ${/** @type {Error} */ (spawnError).message}`
        : `exited (code ${code}, signal ${signal}) before it was ready`,
    ),
    new Promise((resolve) => {
      timer = setTimeout(
        () => resolve(`printed no "zhengwu listening on http://..." line within ${startTimeoutMs} ms`),
        startTimeoutMs,
      );
    }),
  ]);
  clearTimeout(timer);
  if (failure) {
    if (!hasExited) {
      child.kill('SIGKILL');
      await exit;
    }
    stdoutLog.end();
    const log = await readLog();
    await rm(tempDir, { recursive: true, force: true });
    throw new Error(`${bin} ${args.join(' ')} ${failure}.\n--- server log ---\n${log}`);
  }

  return {
    baseURL,
    url: (p) => new URL(p, `${baseURL}/`).href,
    tempDir,
    dataDir,
    logFile,
    log: readLog,
    async getJson(p) {
      const res = await fetch(new URL(p, `${baseURL}/`));
      const text = await res.text();
      let body = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, body };
    },
    exited: () => hasExited,
    async stop() {
      if (!hasExited) {
        child.kill('SIGTERM');
        const late = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exit;
        clearTimeout(late);
      }
      await new Promise((resolve) => stdoutLog.end(resolve));
      return exit;
    },
    async remove() {
      await rm(tempDir, { recursive: true, force: true });
    },
  };
}

/**
 * @typedef {Object} Problems  what the guards recorded
 * @property {string[]} consoleErrors
 * @property {string[]} pageErrors
 * @property {string[]} blockedRequests  requests that tried to leave loopback (aborted)
 */

/**
 * @typedef {Object} Browser
 * @property {import('playwright-core').BrowserContext} context
 * @property {() => Promise<import('playwright-core').Page>} newPage
 * @property {Problems} problems
 * @property {(pattern: RegExp) => void} allowConsoleError  for a test that provokes an error on purpose
 * @property {() => void} assertClean  throws when any guard recorded something
 * @property {() => Promise<void>} close
 */

/** @param {string} raw */
function leavesLoopback(raw) {
  let url;
  try {
    url = new URL(raw);
  } catch {
    return true;
  }
  if (url.protocol === 'data:' || url.protocol === 'blob:' || url.href === 'about:blank') return false;
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) return true;
  return !LOOPBACK_HOSTS.has(url.hostname);
}

/**
 * Launches Chromium with a fresh profile and the guards in place.
 * @param {Object} options
 * @param {string} options.profileDir  an empty directory for the user data
 * @param {{width: number, height: number}} [options.viewport]
 * @returns {Promise<Browser>}
 */
export async function launchBrowser({ profileDir, viewport = { width: 1280, height: 800 } }) {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS],
    viewport,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    serviceWorkers: 'block',
  });

  /** @type {Problems} */
  const problems = { consoleErrors: [], pageErrors: [], blockedRequests: [] };
  /** @type {RegExp[]} */
  const allowed = [];

  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (leavesLoopback(url)) {
      problems.blockedRequests.push(`${route.request().method()} ${url}`);
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });

  /** @param {import('playwright-core').Page} page */
  const watch = (page) => {
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const { url, lineNumber } = msg.location();
      const text = `${msg.text()}${url ? ` (${url}:${lineNumber})` : ''}`;
      if (!allowed.some((re) => re.test(text))) problems.consoleErrors.push(text);
    });
    page.on('pageerror', (err) => problems.pageErrors.push(err.stack || String(err)));
    page.on('crash', () => problems.pageErrors.push(`page crashed: ${page.url()}`));
    page.on('websocket', (ws) => {
      if (leavesLoopback(ws.url())) problems.blockedRequests.push(`WebSocket ${ws.url()}`);
    });
  };
  context.pages().forEach(watch);
  context.on('page', watch);

  let firstPageTaken = false;
  return {
    context,
    problems,
    async newPage() {
      const blank = context.pages()[0];
      if (!firstPageTaken && blank && blank.url() === 'about:blank') {
        firstPageTaken = true;
        return blank;
      }
      firstPageTaken = true;
      return context.newPage();
    },
    allowConsoleError(pattern) {
      allowed.push(pattern);
    },
    assertClean() {
      assert.deepEqual(
        problems,
        { consoleErrors: [], pageErrors: [], blockedRequests: [] },
        'the browser recorded console errors, page errors or requests that left loopback',
      );
    },
    close: () => context.close(),
  };
}

/** @param {string} name */
const slug = (name) => name.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 80) || 'test';

/**
 * @typedef {Object} E2EContext
 * @property {import('playwright-core').Page} page  a page in the fresh browser, guards attached
 * @property {Server} server
 * @property {Browser} browser
 * @property {import('node:test').TestContext} t
 */

/**
 * @typedef {Object} E2EOptions
 * @property {Record<string, string>} [env]  extra server environment (setup commands get it too)
 * @property {string[][]} [setup]  `zhengwu` commands to run before the server starts
 * @property {{width: number, height: number}} [viewport]
 * @property {number} [timeout]  ms for the whole test, default 120 000
 */

/**
 * Declares one browser test with its own server, data directory and browser profile.
 * After the body: the guards must be clean and the server must stop cleanly on SIGTERM.
 * @param {string} name
 * @param {E2EOptions | ((ctx: E2EContext) => Promise<void>)} options
 * @param {(ctx: E2EContext) => Promise<void>} [body]
 */
export function e2e(name, options, body) {
  const fn = typeof options === 'function' ? options : /** @type {(ctx: E2EContext) => Promise<void>} */ (body);
  const opts = typeof options === 'function' ? {} : options;
  test(name, { timeout: opts.timeout ?? 120_000 }, async (t) => {
    const server = await startServer({ env: opts.env, setup: opts.setup });
    /** @type {Browser | undefined} */
    let browser;
    /** @type {import('playwright-core').Page | undefined} */
    let page;
    /** @type {unknown} */
    let failure;
    try {
      browser = await launchBrowser({ profileDir: path.join(server.tempDir, 'chromium-profile'), viewport: opts.viewport });
      page = await browser.newPage();
      page.setDefaultTimeout(10_000);
      await fn({ page, server, browser, t });
      assert.ok(!server.exited(), 'the server exited during the test');
      browser.assertClean();
    } catch (e) {
      failure = e;
    }

    const artifacts = path.join(RESULTS_DIR, slug(name));
    if (failure && page) {
      await mkdir(artifacts, { recursive: true });
      await page.screenshot({ path: path.join(artifacts, 'screenshot.png'), fullPage: true }).catch(() => {});
    }
    await browser?.close().catch(() => {});
    const { code, signal } = await server.stop();
    if (!failure && !(code === 0 || signal === 'SIGTERM' || code === 128 + 15)) {
      failure = new Error(`the server did not stop cleanly on SIGTERM (code ${code}, signal ${signal})`);
    }
    if (failure) {
      await mkdir(artifacts, { recursive: true });
      await cp(server.logFile, path.join(artifacts, 'server.log')).catch(() => {});
      const log = await server.log();
      // Indented, so that no log line can pass for one of the runner's own summary lines.
      const tail = log
        .split('\n')
        .slice(-200)
        .map((line) => `  | ${line}`)
        .join('\n');
      process.stderr.write(
        `\n--- ${name}: server log (last 200 lines; full log and screenshot in ${artifacts}) ---\n${tail}\n--- end of server log ---\n`,
      );
    }
    await server.remove();
    if (failure) throw failure;
  });
}

/**
 * Waits until `locator`'s text, trimmed, equals `expected` (polls; fails with the last text).
 * @param {import('playwright-core').Locator} locator
 * @param {string | RegExp} expected
 * @param {number} [timeoutMs]
 */
export async function expectText(locator, expected, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    last = ((await locator.textContent({ timeout: Math.max(1, deadline - Date.now()) }).catch(() => null)) ?? '').trim();
    if (typeof expected === 'string' ? last === expected : expected.test(last)) return;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`expected text ${expected} but found "${last}"`);
}

/**
 * Waits until the page's path (and query) equals `expected`.
 * @param {import('playwright-core').Page} page
 * @param {string} expected  e.g. '/portal'
 */
export async function expectPath(page, expected) {
  await page.waitForURL((url) => `${url.pathname}${url.search}` === expected, { timeout: 10_000 }).catch(() => {});
  const url = new URL(page.url());
  assert.equal(`${url.pathname}${url.search}`, expected);
}

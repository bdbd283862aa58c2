// Signed exchange requests for the exchange benchmark (bench/run.sh, bench/exchange.lua).
//
//   node bench/exchange_requests.mjs KEYS_FILE CLIENT_ID SECRET COUNT THREADS OUT_PREFIX TAG
//
// Writes THREADS files OUT_PREFIX-<n>.txt (n = 1..THREADS), COUNT lines each: the path of
// a get-by-key read of a random key from KEYS_FILE (one record key per line), then the
// X-Zw-Timestamp, X-Zw-Nonce and X-Zw-Signature headers, tab-separated. Each request is
// signed per DESIGN.md (HMAC-SM3 over METHOD\nPATH\nQUERY\nTIMESTAMP\nNONCE\nhex(SM3(body)))
// with its own nonce (TAG keeps runs apart), because the server refuses a nonce it has
// seen: wrk cannot sign, so every request it sends is signed here beforehand, with the
// current time, just before the run that uses it.
import { createHash, createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

const [keysFile, clientId, secret, countText, threadsText, outPrefix, tag] = process.argv.slice(2);
if (!tag) {
  console.error('usage: node bench/exchange_requests.mjs KEYS_FILE CLIENT_ID SECRET COUNT THREADS OUT_PREFIX TAG');
  process.exit(2);
}
const count = Number(countText);
const threads = Number(threadsText);
const keys = readFileSync(keysFile, 'utf8').split('\n').filter((k) => k.length > 0);
if (keys.length === 0) throw new Error(`${keysFile}: no keys`);

const timestamp = String(Math.floor(Date.now() / 1000));
const emptyBodyHash = createHash('sm3').update('').digest('hex');
// A small deterministic generator: the same keys are read in every run of one size.
let state = 12345;
const nextKey = () => {
  state = (Math.imul(state, 1103515245) + 12345) >>> 0;
  return keys[state % keys.length];
};
for (let t = 1; t <= threads; t++) {
  const lines = new Array(count);
  for (let i = 0; i < count; i++) {
    const path = `/api/exchange/resources/gaj.population/records/${nextKey()}`;
    const nonce = `bench-${tag}-${t}-${String(i).padStart(8, "0")}`;
    const canonical = ['GET', path, '', timestamp, nonce, emptyBodyHash].join('\n');
    const signature = createHmac('sm3', secret).update(canonical).digest('hex');
    lines[i] = `${path}\t${timestamp}\t${nonce}\t${signature}`;
  }
  writeFileSync(`${outPrefix}-${t}.txt`, lines.join('\n') + '\n');
}

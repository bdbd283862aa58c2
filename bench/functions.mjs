// Renders the Google Benchmark JSON of `zhengwu_bench` as the "Function benchmarks"
// section of docs/benchmarks.md, with the issue targets checked against the numbers of
// the same run. Exit status 1 when a target fails or was not measured.
//
//   node bench/functions.mjs FUNCTIONS.json
import { readFileSync } from 'node:fs';

const data = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const rows = data.benchmarks.filter((b) => b.aggregate_name === 'median' || !b.aggregate_name);
const byName = new Map(rows.map((b) => [b.run_name ?? b.name.replace(/_median$/, ''), b]));
const unitNs = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 };
const ns = (b, field = 'cpu_time') => b[field] * unitNs[b.time_unit ?? 'ns'];
const fmt = (v) => (v >= 1e6 ? `${(v / 1e6).toFixed(1)} ms` : v >= 1e3 ? `${(v / 1e3).toFixed(2)} µs` : `${v.toFixed(0)} ns`);
const rate = (v) => Math.round(v).toLocaleString('en-US');

const out = [];
out.push('### Function benchmarks (Google Benchmark)', '');
out.push(`\`zhengwu_bench\` (Release), ${data.context.num_cpus} CPUs at ${data.context.mhz_per_cpu} MHz, ` +
  `load average ${(data.context.load_avg ?? []).map((x) => x.toFixed(2)).join(' ')}; the median of the repetitions.`, '');
out.push('| benchmark | CPU time | wall time | rate |', '|---|---:|---:|---:|');
for (const [name, b] of byName) {
  const r = b.records_per_s ? `${rate(b.records_per_s)} records/s` : '';
  out.push(`| \`${name}\` | ${fmt(ns(b))} | ${fmt(ns(b, 'real_time'))} | ${r} |`);
}
out.push('');

const targets = [];
const verify = byName.get('BM_VerifySignedRequest');
targets.push(['signature verification of a client request < 20 µs (CPU)',
  verify ? fmt(ns(verify)) : 'not measured', verify && ns(verify) < 20e3]);
// The server holds replies, not threads, while records wait for their commit
// (AuditLog::append_then): the target is read off BM_AuditAppendInFlight/N, N requests
// waiting; the thread-per-appender and one-per-transaction cases are shown beside it.
const inFlight = [...byName].filter(([n]) => n.startsWith('BM_AuditAppendInFlight/'))
  .map(([n, b]) => ({ n: Number(n.split('/')[1]), rate: b.records_per_s ?? 0 }));
const best = inFlight.reduce((m, x) => (x.rate > m.rate ? x : m), { n: 0, rate: 0 });
const passing = inFlight.filter((x) => x.rate >= 50000).map((x) => x.n);
const threads64 = byName.get('BM_AuditAppendGroupCommit/64/real_time');
const single = byName.get('BM_AuditOneRecordPerTransaction/real_time');
const beside = [
  threads64?.records_per_s ? `64 blocked threads: ${rate(threads64.records_per_s)}/s` : null,
  single?.records_per_s ? `one record per transaction: ${rate(single.records_per_s)}/s` : null,
].filter(Boolean).join('; ');
targets.push([`audit append ≥ 50,000 records/s with group commit on SQLite` + (beside ? ` (${beside})` : ''),
  inFlight.length
    ? `${rate(best.rate)} records/s with ${best.n} requests waiting` +
      (passing.length ? `; ≥ 50,000 from ${Math.min(...passing)} waiting` : '') +
      `; ${inFlight.map((x) => `${x.n}: ${rate(x.rate)}`).join(', ')}`
    : 'not measured',
  best.rate >= 50000]);
const login = [...byName].find(([n]) => n.startsWith('BM_Argon2idVerify') && n.includes('65536'));
targets.push(['cost of one argon2id login (64 MiB, t=3, p=1), documented',
  login ? `${fmt(ns(login[1]))} CPU` : 'not measured', Boolean(login)]);

out.push('| target | measured | result |', '|---|---|---|');
for (const [what, measured, ok] of targets) out.push(`| ${what} | ${measured} | ${ok ? 'PASS' : 'FAIL'} |`);
console.log(out.join('\n'));
process.exit(targets.every(([, , ok]) => ok) ? 0 : 1);

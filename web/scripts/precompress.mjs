// Writes a gzip sibling (`file.gz`) beside every built file larger than 1 KiB, so that
// `zhengwu serve` can send it as is to clients that accept gzip. Formats that are
// compressed already (images, fonts, archives) are left alone, and a .gz that would not
// be smaller than its original is not written (the server then sends the original).
//
// Usage: node scripts/precompress.mjs [dir]   (default: dist next to this script)
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { constants, gzipSync } from 'node:zlib';

const MIN_SIZE = 1024;
const ALREADY_COMPRESSED = new Set([
  '.gz', '.br', '.zst', '.zip', '.png', '.jpg', '.jpeg', '.gif', '.webp', '.avif', '.woff', '.woff2', '.mp4', '.webm',
]);

/** @param {string} dir @returns {AsyncGenerator<string>} */
async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}

/** @param {number} n */
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

async function main() {
  const root = path.resolve(process.argv[2] ?? fileURLToPath(new URL('../dist', import.meta.url)));
  try {
    if (!(await stat(root)).isDirectory()) throw new Error('not a directory');
  } catch {
    console.error(`precompress: ${root} is not a directory; run vite build first`);
    process.exit(1);
  }

  let files = 0;
  let before = 0;
  let after = 0;
  for await (const file of walk(root)) {
    if (ALREADY_COMPRESSED.has(path.extname(file).toLowerCase())) continue;
    const data = await readFile(file);
    if (data.length <= MIN_SIZE) continue;
    const gz = gzipSync(data, { level: constants.Z_BEST_COMPRESSION });
    if (gz.length >= data.length) continue;
    await writeFile(`${file}.gz`, gz);
    files += 1;
    before += data.length;
    after += gz.length;
  }
  console.log(`precompress: ${files} files gzipped, ${kib(before)} → ${kib(after)}`);
}

await main();

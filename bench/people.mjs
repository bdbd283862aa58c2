// A population CSV for the import benchmark, on stdout: `node bench/people.mjs ROWS`.
// Deterministic; every row valid for the demo's 户籍人口基本信息 (gaj.population): a GB 11643
// ID number with its check character, a name, 男/女 (mapped through GB/T 2261.1), the birth
// date, the division 330106, an address and a mobile number.
const rows = Number(process.argv[2] ?? 1_000_000);
const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checks = '10X98765432';
const start = Date.UTC(1950, 0, 1);
const out = ['公民身份号码,姓名,性别,出生日期,户籍所在地,住址,联系电话\n'];
let size = 0;
const flush = () => {
  process.stdout.write(out.join(''));
  out.length = 0;
  size = 0;
};
for (let i = 0; i < rows; i++) {
  const d = new Date(start + Math.floor(i / 900) * 86_400_000);
  const date = d.toISOString().slice(0, 10);
  const base = `330106${date.replaceAll('-', '')}${String(100 + (i % 900))}`;
  let sum = 0;
  for (let k = 0; k < 17; k++) sum += Number(base[k]) * weights[k];
  const line = `${base}${checks[sum % 11]},市民${i},${i % 2 ? '男' : '女'},${date},330106,杭州市西湖区北山街道${i % 100}号,139${10_000_000 + (i % 90_000_000)}\n`;
  out.push(line);
  size += line.length;
  if (size > 1 << 20) flush();
}
flush();

// Small display helpers of the identity pages.

/**
 * An ID number as the masking convention shows it: the first 6 and last 4 characters
 * (110105********002X). Shorter or missing values come back unchanged or ''.
 * @param {string | null | undefined} value
 */
export function maskIdNumber(value) {
  if (!value) return '';
  if (value.length <= 10) return value;
  return `${value.slice(0, 6)}${'*'.repeat(value.length - 10)}${value.slice(-4)}`;
}

/**
 * A base32 secret in groups of four for typing it by hand: 'ABCD EFGH IJ'.
 * @param {string} secret
 */
export function groupSecret(secret) {
  return (secret.replace(/\s+/g, '').match(/.{1,4}/g) ?? []).join(' ');
}

/**
 * An SVG document as an image address. The document is shown through <img>, where its
 * scripts and links are inert — never inserted into the page as markup.
 * @param {string} svg
 */
export function svgDataUrl(svg) {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/**
 * The browser and system of a User-Agent string, briefly ('Chrome 120 · Linux'); the
 * string itself (cut) when nothing is recognised.
 * @param {string | null | undefined} ua
 */
export function describeUserAgent(ua) {
  if (!ua) return '';
  const browsers = [
    ['Edge', /Edg\/(\d+)/],
    ['Firefox', /Firefox\/(\d+)/],
    ['Chrome', /(?:Chrome|Chromium)\/(\d+)/],
    ['Safari', /Version\/(\d+)[\d.]* .*Safari\//],
  ];
  const systems = [
    ['Windows', /Windows/],
    ['Android', /Android/],
    ['iOS', /iPhone|iPad/],
    ['macOS', /Mac OS X/],
    ['Linux', /Linux/],
  ];
  let browser = '';
  for (const [name, re] of browsers) {
    const m = /** @type {RegExp} */ (re).exec(ua);
    if (m) {
      browser = `${name} ${m[1]}`;
      break;
    }
  }
  const system = systems.find(([, re]) => /** @type {RegExp} */ (re).test(ua))?.[0] ?? '';
  if (!browser) return ua.length > 60 ? `${ua.slice(0, 57)}…` : ua;
  return system ? `${browser} · ${system}` : browser;
}

/**
 * A set of recovery codes as a text file to keep: a title, a note, and one numbered code
 * per line (Windows line ends, so that Notepad shows the lines too).
 * @param {string[]} codes
 * @param {{title: string, note: string}} words
 */
export function recoveryCodesText(codes, { title, note }) {
  const lines = [title, note, '', ...codes.map((c, i) => `${String(i + 1).padStart(2, ' ')}. ${c}`), ''];
  return lines.join('\r\n');
}

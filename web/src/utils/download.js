// Saving a file the app fetched itself (with the session's token) in the browser: the
// Blob becomes an object address, and a link with `download` saves it under a name.

/**
 * @param {Blob} blob
 * @param {string} filename
 * @param {Document} [doc]
 */
export function saveBlob(blob, filename, doc = document) {
  const url = URL.createObjectURL(blob);
  const link = doc.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  link.style.display = 'none';
  doc.body.appendChild(link);
  try {
    link.click();
  } finally {
    link.remove();
    // The download has taken the address by the time this runs; revoking it at once
    // can cut it off in some browsers.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
}

// The HTTP client every page uses: JSON over fetch, same origin, bearer token from the
// auth store, and one error type (ApiError) with a message a person can read.
//
// Errors from the server are RFC 9457 problem documents:
//   {type, title, status, detail, errors?: [{field, message}]}
// ApiError.message is the detail (or title), followed by the per-field messages.

/**
 * @typedef {Object} FieldError
 * @property {string} [field]   the request field at fault, e.g. "name" or "fields[2].type"
 * @property {string} message
 */

/**
 * @typedef {Object} Problem  an RFC 9457 problem document
 * @property {string} [type]
 * @property {string} [title]
 * @property {number} [status]
 * @property {string} [detail]
 * @property {string} [instance]
 * @property {FieldError[]} [errors]
 */

/**
 * @typedef {'http' | 'network' | 'timeout' | 'invalid-response'} ApiErrorKind
 *   http: the server answered with a non-2xx status; network: no answer at all;
 *   timeout: no answer within the time limit; invalid-response: a 2xx that is not valid JSON.
 */

/**
 * @typedef {Object} RequestOptions
 * @property {Record<string, string | number | boolean | null | undefined | Array<string | number | boolean>>} [query]
 *   query parameters; null and undefined are left out, arrays repeat the key
 * @property {unknown} [body]  JSON-serialised, unless FormData, Blob, URLSearchParams or a string
 * @property {Record<string, string>} [headers]
 * @property {AbortSignal} [signal]  aborting rejects with the signal's reason (an AbortError), not an ApiError
 * @property {number} [timeoutMs]  overrides the client's default; 0 disables the limit
 * @property {'json' | 'blob'} [responseType]  'blob': a 2xx answer comes back as a Blob of
 *   its exact bytes (a file to download; a text decode would drop a CSV's BOM); failures
 *   are ApiErrors as usual. Default 'json': parsed JSON, null or text, as described below
 */

/**
 * @typedef {Object} ClientOptions
 * @property {string} [baseUrl]  prefix for every path; '' (default) means same origin
 * @property {typeof fetch} [fetch]  defaults to the global fetch, looked up at call time
 * @property {() => (string | null | undefined)} [getToken]  bearer token, when signed in
 * @property {() => (string | null | undefined)} [getLocale]  sent as Accept-Language
 * @property {(error: ApiError) => void} [onUnauthorized]  called on every 401
 * @property {(key: string, params?: Record<string, unknown>) => string} [translate]
 *   turns the client's own message keys (api.network, api.timeout, api.httpStatus,
 *   api.invalidResponse) into text; defaults to English
 * @property {number} [timeoutMs]  default 30 s; 0 disables the limit
 */

const FALLBACK_TEXT = {
  'api.network': 'Cannot reach the server. Check the connection and try again.',
  'api.timeout': 'The server took too long to answer. Please try again later.',
  'api.httpStatus': 'Request failed (HTTP {status})',
  'api.invalidResponse': 'The server sent a response that could not be read.',
};

/** @param {string} key @param {Record<string, unknown>} [params] */
function fallbackTranslate(key, params = {}) {
  const text = FALLBACK_TEXT[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ''));
}

export class ApiError extends Error {
  /**
   * @param {Object} init
   * @param {string} init.message
   * @param {ApiErrorKind} init.kind
   * @param {number} [init.status]  HTTP status; 0 when there was no answer
   * @param {Problem | null} [init.problem]
   * @param {string} [init.method]
   * @param {string} [init.url]
   * @param {unknown} [init.cause]
   */
  constructor({ message, kind, status = 0, problem = null, method = '', url = '', cause }) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'ApiError';
    /** @type {ApiErrorKind} */
    this.kind = kind;
    /** @type {number} */
    this.status = status;
    /** @type {Problem | null} */
    this.problem = problem;
    /** @type {string} */
    this.method = method;
    /** @type {string} */
    this.url = url;
  }

  /** @returns {FieldError[]} the per-field messages of a validation problem, if any */
  get errors() {
    return Array.isArray(this.problem?.errors) ? this.problem.errors : [];
  }

  /**
   * The first message per field, for forms (`:error="err.fieldErrors.name"`).
   * @returns {Record<string, string>}
   */
  get fieldErrors() {
    /** @type {Record<string, string>} */
    const out = {};
    for (const e of this.errors) {
      if (e.field && !(e.field in out)) out[e.field] = e.message;
    }
    return out;
  }
}

/**
 * The readable text for a problem document: detail (or title, or the status), then the
 * per-field messages in parentheses.
 * @param {Problem | null} problem
 * @param {string} fallback  used when the problem says nothing
 */
export function problemMessage(problem, fallback) {
  const main = (problem?.detail || problem?.title || fallback).trim();
  const fields = (Array.isArray(problem?.errors) ? problem.errors : [])
    .filter((e) => e && e.message)
    .map((e) => (e.field ? `${e.field}: ${e.message}` : e.message));
  return fields.length ? `${main} (${fields.join('; ')})` : main;
}

/** @param {string} contentType */
function isJson(contentType) {
  return /^application\/([\w.+-]+\+)?json\b/i.test(contentType);
}

/** @param {RequestOptions['query']} query */
function queryString(query) {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** @param {unknown} body */
function isRawBody(body) {
  return (
    typeof body === 'string' ||
    (typeof FormData !== 'undefined' && body instanceof FormData) ||
    (typeof Blob !== 'undefined' && body instanceof Blob) ||
    body instanceof URLSearchParams ||
    body instanceof ArrayBuffer
  );
}

/**
 * Creates a client. The app uses the shared instance `api` below; tests make their own.
 * @param {ClientOptions} [initial]
 */
export function createClient(initial = {}) {
  /** @type {Required<Pick<ClientOptions, 'baseUrl' | 'translate' | 'timeoutMs'>> & ClientOptions} */
  const options = { baseUrl: '', translate: fallbackTranslate, timeoutMs: 30_000, ...initial };

  /**
   * Sends one request and returns the parsed JSON body (null for an empty one, text for
   * a non-JSON one; a Blob with `responseType: 'blob'`). Rejects with ApiError on a
   * non-2xx status, no answer or a timeout.
   * @template [T=any]
   * @param {string} method
   * @param {string} path  e.g. '/api/system/info'
   * @param {RequestOptions} [req]
   * @returns {Promise<T>}
   */
  async function request(method, path, req = {}) {
    const url = `${options.baseUrl}${path}${queryString(req.query)}`;
    const headers = new Headers({ Accept: 'application/json, application/problem+json' });
    const token = options.getToken?.();
    if (token) headers.set('Authorization', `Bearer ${token}`);
    const locale = options.getLocale?.();
    if (locale) headers.set('Accept-Language', locale);

    /** @type {BodyInit | undefined} */
    let body;
    if (req.body !== undefined) {
      if (isRawBody(req.body)) {
        body = /** @type {BodyInit} */ (req.body);
      } else {
        body = JSON.stringify(req.body);
        headers.set('Content-Type', 'application/json');
      }
    }
    for (const [k, v] of Object.entries(req.headers ?? {})) headers.set(k, v);

    const timeoutMs = req.timeoutMs ?? options.timeoutMs;
    const controller = new AbortController();
    let timedOut = false;
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, timeoutMs)
        : null;
    const forwardAbort = () => controller.abort(req.signal?.reason);
    if (req.signal) {
      if (req.signal.aborted) forwardAbort();
      else req.signal.addEventListener('abort', forwardAbort, { once: true });
    }
    const t = options.translate;
    const fail = (/** @type {Omit<ConstructorParameters<typeof ApiError>[0], 'method' | 'url'>} */ init) =>
      new ApiError({ ...init, method, url });

    try {
      const doFetch = options.fetch ?? globalThis.fetch;
      /** @type {Response} */
      let res;
      try {
        res = await doFetch(url, {
          method,
          headers,
          body,
          credentials: 'same-origin',
          signal: controller.signal,
        });
      } catch (cause) {
        if (timedOut) throw fail({ kind: 'timeout', message: t('api.timeout'), cause });
        if (req.signal?.aborted) throw req.signal.reason ?? cause;
        throw fail({ kind: 'network', message: t('api.network'), cause });
      }

      const asBlob = res.ok && req.responseType === 'blob';
      let text = '';
      /** @type {Blob | null} */
      let blob = null;
      try {
        if (asBlob) blob = await res.blob();
        else text = await res.text();
      } catch (cause) {
        if (timedOut) throw fail({ kind: 'timeout', status: res.status, message: t('api.timeout'), cause });
        if (req.signal?.aborted) throw req.signal.reason ?? cause;
        throw fail({ kind: 'network', status: res.status, message: t('api.network'), cause });
      }
      const json = isJson(res.headers.get('Content-Type') ?? '');

      if (!res.ok) {
        /** @type {Problem | null} */
        let problem = null;
        if (json && text) {
          try {
            const parsed = JSON.parse(text);
            if (parsed && typeof parsed === 'object') problem = parsed;
          } catch {
            problem = null;
          }
        }
        const error = fail({
          kind: 'http',
          status: res.status,
          problem,
          message: problemMessage(problem, t('api.httpStatus', { status: res.status })),
        });
        if (res.status === 401) options.onUnauthorized?.(error);
        throw error;
      }

      if (blob) return /** @type {T} */ (blob);
      if (!text) return /** @type {T} */ (null);
      if (!json) return /** @type {T} */ (text);
      try {
        return JSON.parse(text);
      } catch (cause) {
        throw fail({ kind: 'invalid-response', status: res.status, message: t('api.invalidResponse'), cause });
      }
    } finally {
      if (timer) clearTimeout(timer);
      req.signal?.removeEventListener('abort', forwardAbort);
    }
  }

  return {
    request,
    /** @template [T=any] @param {string} path @param {RequestOptions} [req] @returns {Promise<T>} */
    get: (path, req) => request('GET', path, req),
    /** @template [T=any] @param {string} path @param {unknown} [body] @param {RequestOptions} [req] @returns {Promise<T>} */
    post: (path, body, req) => request('POST', path, { ...req, body }),
    /** @template [T=any] @param {string} path @param {unknown} [body] @param {RequestOptions} [req] @returns {Promise<T>} */
    put: (path, body, req) => request('PUT', path, { ...req, body }),
    /** @template [T=any] @param {string} path @param {unknown} [body] @param {RequestOptions} [req] @returns {Promise<T>} */
    patch: (path, body, req) => request('PATCH', path, { ...req, body }),
    /** @template [T=any] @param {string} path @param {RequestOptions} [req] @returns {Promise<T>} */
    del: (path, req) => request('DELETE', path, req),
    /**
     * Changes options of this client (main.js wires the auth store and i18n here).
     * @param {ClientOptions} changes
     */
    configure(changes) {
      Object.assign(options, changes);
    },
  };
}

/** The app's shared client. */
export const api = createClient();

export const { get, post, put, patch, del, request, configure: configureClient } = api;

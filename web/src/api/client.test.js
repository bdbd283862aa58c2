import { describe, expect, it, vi } from 'vitest';
import { ApiError, createClient, problemMessage } from './client.js';

/**
 * A fetch stand-in that records its calls and answers with `answer(url, init)`.
 * @param {(url: string, init: RequestInit) => Response | Promise<Response>} answer
 */
function fakeFetch(answer) {
  /** @type {{url: string, init: RequestInit}[]} */
  const calls = [];
  const fn = vi.fn(async (url, init) => {
    calls.push({ url, init });
    return answer(url, init);
  });
  return { fetch: /** @type {typeof fetch} */ (/** @type {unknown} */ (fn)), calls };
}

const json = (body, status = 200, type = 'application/json; charset=utf-8') =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } });

const problem = (body) => json(body, body.status, 'application/problem+json');

/** @param {Promise<unknown>} p @returns {Promise<ApiError>} */
async function rejection(p) {
  try {
    await p;
  } catch (e) {
    return /** @type {ApiError} */ (e);
  }
  throw new Error('expected the request to fail');
}

describe('api client', () => {
  it('GETs same-origin JSON and returns the parsed body', async () => {
    const { fetch, calls } = fakeFetch(() => json({ status: 'ok' }));
    const api = createClient({ fetch });
    await expect(api.get('/healthz')).resolves.toEqual({ status: 'ok' });
    expect(calls[0].url).toBe('/healthz');
    expect(calls[0].init.method).toBe('GET');
    expect(calls[0].init.credentials).toBe('same-origin');
    expect(new Headers(calls[0].init.headers).get('Accept')).toContain('application/json');
    expect(calls[0].init.body).toBeUndefined();
  });

  it('sends JSON bodies with post, put and patch, and uses DELETE for del', async () => {
    const { fetch, calls } = fakeFetch(() => new Response(null, { status: 204 }));
    const api = createClient({ fetch });
    await expect(api.post('/api/things', { name: '社保' })).resolves.toBeNull();
    await api.put('/api/things/1', { name: 'a' });
    await api.patch('/api/things/1', { name: 'b' });
    await api.del('/api/things/1');
    expect(calls.map((c) => c.init.method)).toEqual(['POST', 'PUT', 'PATCH', 'DELETE']);
    expect(calls[0].init.body).toBe('{"name":"社保"}');
    expect(new Headers(calls[0].init.headers).get('Content-Type')).toBe('application/json');
    expect(calls[3].init.body).toBeUndefined();
  });

  it('passes FormData through without forcing a JSON content type', async () => {
    const { fetch, calls } = fakeFetch(() => json({ id: 1 }, 201));
    const form = new FormData();
    form.append('file', new Blob(['a,b\n1,2']), 'data.csv');
    await createClient({ fetch }).post('/api/uploads', form);
    expect(calls[0].init.body).toBe(form);
    expect(new Headers(calls[0].init.headers).has('Content-Type')).toBe(false);
  });

  it('builds query strings, leaving out null and undefined and repeating arrays', async () => {
    const { fetch, calls } = fakeFetch(() => json({ items: [], next_cursor: null }));
    await createClient({ fetch }).get('/api/cases', {
      query: { limit: 20, cursor: undefined, status: ['open', 'closed'], q: '西湖 区', empty: null },
    });
    expect(calls[0].url).toBe('/api/cases?limit=20&status=open&status=closed&q=%E8%A5%BF%E6%B9%96+%E5%8C%BA');
  });

  it('prefixes the base URL', async () => {
    const { fetch, calls } = fakeFetch(() => json({}));
    await createClient({ fetch, baseUrl: 'http://127.0.0.1:9' }).get('/api/me');
    expect(calls[0].url).toBe('http://127.0.0.1:9/api/me');
  });

  it('sends the bearer token and locale when the hooks provide them', async () => {
    const { fetch, calls } = fakeFetch(() => json({}));
    let token = null;
    const api = createClient({ fetch, getToken: () => token, getLocale: () => 'zh-CN' });
    await api.get('/api/me');
    expect(new Headers(calls[0].init.headers).has('Authorization')).toBe(false);
    token = 'tok-123';
    await api.get('/api/me');
    const headers = new Headers(calls[1].init.headers);
    expect(headers.get('Authorization')).toBe('Bearer tok-123');
    expect(headers.get('Accept-Language')).toBe('zh-CN');
  });

  it('lets configure() change the hooks of an existing client', async () => {
    const { fetch, calls } = fakeFetch(() => json({}));
    const api = createClient({ fetch });
    api.configure({ getToken: () => 'later' });
    await api.get('/api/me');
    expect(new Headers(calls[0].init.headers).get('Authorization')).toBe('Bearer later');
  });

  it('returns text for a non-JSON success', async () => {
    const { fetch } = fakeFetch(() => new Response('# HELP up\nup 1\n', { headers: { 'Content-Type': 'text/plain' } }));
    await expect(createClient({ fetch }).get('/metrics')).resolves.toBe('# HELP up\nup 1\n');
  });

  it('turns a problem+json answer into an ApiError with detail and field messages', async () => {
    const { fetch } = fakeFetch(() =>
      problem({
        type: 'https://zhengwu.example/problems/validation',
        title: 'Invalid request',
        status: 422,
        detail: 'The resource has invalid fields.',
        errors: [
          { field: 'code', message: 'must not be empty' },
          { field: 'fields[0].type', message: 'unknown type "text"' },
        ],
      }),
    );
    const err = await rejection(createClient({ fetch }).post('/api/catalog', {}));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.kind).toBe('http');
    expect(err.status).toBe(422);
    expect(err.method).toBe('POST');
    expect(err.url).toBe('/api/catalog');
    expect(err.message).toBe(
      'The resource has invalid fields. (code: must not be empty; fields[0].type: unknown type "text")',
    );
    expect(err.problem?.title).toBe('Invalid request');
    expect(err.errors).toHaveLength(2);
    expect(err.fieldErrors).toEqual({ code: 'must not be empty', 'fields[0].type': 'unknown type "text"' });
  });

  it('falls back to the title, then to the status, when a problem has no detail', async () => {
    const titled = fakeFetch(() => problem({ title: 'Not Found', status: 404 }));
    expect((await rejection(createClient({ fetch: titled.fetch }).get('/api/x'))).message).toBe('Not Found');

    const html = fakeFetch(() => new Response('<h1>Bad gateway</h1>', { status: 502, headers: { 'Content-Type': 'text/html' } }));
    const err = await rejection(createClient({ fetch: html.fetch }).get('/api/x'));
    expect(err.status).toBe(502);
    expect(err.problem).toBeNull();
    expect(err.message).toBe('Request failed (HTTP 502)');
  });

  it('survives a problem+json body that is not valid JSON', async () => {
    const { fetch } = fakeFetch(
      () => new Response('{oops', { status: 500, headers: { 'Content-Type': 'application/problem+json' } }),
    );
    const err = await rejection(createClient({ fetch }).get('/api/x'));
    expect(err.status).toBe(500);
    expect(err.message).toBe('Request failed (HTTP 500)');
  });

  it('reports a 503 readiness problem with its detail', async () => {
    const { fetch } = fakeFetch(() =>
      problem({ type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'database unreachable' }),
    );
    const err = await rejection(createClient({ fetch }).get('/readyz'));
    expect(err.status).toBe(503);
    expect(err.message).toBe('database unreachable');
  });

  it('calls onUnauthorized on 401 and still rejects', async () => {
    const { fetch } = fakeFetch(() => problem({ title: 'Unauthorized', status: 401, detail: 'session expired' }));
    const onUnauthorized = vi.fn();
    const err = await rejection(createClient({ fetch, onUnauthorized }).get('/api/me'));
    expect(err.status).toBe(401);
    expect(onUnauthorized).toHaveBeenCalledOnce();
    expect(onUnauthorized.mock.calls[0][0]).toBe(err);
  });

  it('turns a network failure into a readable ApiError', async () => {
    const { fetch } = fakeFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    const err = await rejection(createClient({ fetch }).get('/api/system/info'));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.kind).toBe('network');
    expect(err.status).toBe(0);
    expect(err.message).toBe('Cannot reach the server. Check the connection and try again.');
    expect(err.cause).toBeInstanceOf(TypeError);
  });

  it('uses the translate hook for its own messages', async () => {
    const { fetch } = fakeFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    const translate = (key, params) => `[${key}${params ? JSON.stringify(params) : ''}]`;
    const err = await rejection(createClient({ fetch, translate }).get('/api/x'));
    expect(err.message).toBe('[api.network]');

    const bad = fakeFetch(() => new Response('', { status: 500 }));
    const err2 = await rejection(createClient({ fetch: bad.fetch, translate }).get('/api/x'));
    expect(err2.message).toBe('[api.httpStatus{"status":500}]');
  });

  it('times out with a readable ApiError', async () => {
    vi.useFakeTimers();
    try {
      const hanging = fakeFetch(
        (_url, init) =>
          new Promise((_resolve, reject) => {
            init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
          }),
      );
      const pending = rejection(createClient({ fetch: hanging.fetch, timeoutMs: 5000 }).get('/api/slow'));
      await vi.advanceTimersByTimeAsync(5000);
      const err = await pending;
      expect(err.kind).toBe('timeout');
      expect(err.message).toBe('The server took too long to answer. Please try again later.');
    } finally {
      vi.useRealTimers();
    }
  });

  it("rejects with the caller's abort reason, not an ApiError, when the caller aborts", async () => {
    const hanging = fakeFetch(
      (_url, init) =>
        new Promise((_resolve, reject) => {
          init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        }),
    );
    const controller = new AbortController();
    const pending = rejection(createClient({ fetch: hanging.fetch }).get('/api/slow', { signal: controller.signal }));
    controller.abort();
    const err = await pending;
    expect(err).not.toBeInstanceOf(ApiError);
    expect(/** @type {Error} */ (err).name).toBe('AbortError');
  });

  it('returns a Blob of the exact bytes with responseType blob, and still an ApiError on failure', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x2c, 0x62, 0x0d, 0x0a]);
    const { fetch } = fakeFetch((url) =>
      url.includes('bad')
        ? problem({ status: 400, title: 'Bad Request', detail: 'Invalid filter.', errors: [{ field: 'from', message: 'not a time' }] })
        : new Response(bytes, { headers: { 'Content-Type': 'text/csv; charset=utf-8' } }),
    );
    const api = createClient({ fetch });
    const blob = await api.get('/api/file', { responseType: 'blob' });
    expect(blob).toBeInstanceOf(Blob);
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(bytes);
    const err = await rejection(api.get('/api/bad', { responseType: 'blob' }));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(400);
    expect(err.fieldErrors).toEqual({ from: 'not a time' });
  });

  it('reports a 2xx answer whose JSON is broken', async () => {
    const { fetch } = fakeFetch(() => new Response('{"a":', { headers: { 'Content-Type': 'application/json' } }));
    const err = await rejection(createClient({ fetch }).get('/api/x'));
    expect(err.kind).toBe('invalid-response');
    expect(err.status).toBe(200);
  });
});

describe('problemMessage', () => {
  it('lists field errors without a field name as plain messages', () => {
    expect(problemMessage({ detail: 'Bad input', errors: [{ message: 'body is empty' }] }, 'x')).toBe(
      'Bad input (body is empty)',
    );
  });

  it('uses the fallback for an empty problem', () => {
    expect(problemMessage(null, 'HTTP 500')).toBe('HTTP 500');
    expect(problemMessage({}, 'HTTP 500')).toBe('HTTP 500');
  });
});

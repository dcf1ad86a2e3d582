// The gateway's REST API as the dashboard uses it. A refusal becomes an Error whose message is the problem's
// detail (RFC 9457), which is what the page shows.

export class ProblemError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

async function call(method, path, body) {
  const init = { method, headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (response.ok) {
    return response.status === 204 ? null : response.json();
  }
  let detail = `${response.status} ${response.statusText}`;
  try {
    const problem = await response.json();
    detail = problem.detail || problem.title || detail;
  } catch {
    // not a problem body (a proxy's page): the status line says enough
  }
  throw new ProblemError(response.status, detail);
}

export const overview = () => call('GET', '/api/overview');
export const addRelay = (url, name) => call('POST', '/api/relays', name ? { url, name } : { url });
export const setPaused = (id, paused) => call('PATCH', `/api/relays/${id}`, { paused });
export const removeRelay = (id) => call('DELETE', `/api/relays/${id}`);

// The operations console: polls this service's /admin/console routes once a second and draws
// what they say. The admin token, when the service asks for one, lives in this module only.
// Everything that comes from the service is written with textContent, never parsed as HTML.

const POLL_MS = 1000;
const EVENTS_SHOWN = 50;

let token;
let paused = false;
/** Each start of the loop gets a number; a loop whose number is not the newest ends. */
let run = 0;
const shown = new Map();

const $ = (id) => document.getElementById(id);

const el = (tag, attributes = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, String(value));
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
};

class Refused extends Error {}

async function api(path, options = {}) {
  const headers = { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const response = await fetch(path, { ...options, headers: { ...headers, ...options.headers } });
  if (response.status === 401 || response.status === 403) {
    const problem = await response.json().catch(() => ({}));
    throw new Refused(problem.detail || `refused (${response.status})`);
  }
  const body = response.status === 204 ? undefined : await response.json();
  if (!response.ok) throw new Error(body?.detail || body?.title || `HTTP ${response.status}`);
  return body;
}

const post = (path) => api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });

/** Redraws a part only when its data changed, so that buttons under the pointer stay put. */
function draw(key, data, render) {
  const text = JSON.stringify(data);
  if (shown.get(key) === text) return;
  shown.set(key, text);
  render(data);
}

const fill = (tbody, rows) => tbody.replaceChildren(...rows);
const time = (iso) => (iso ? new Date(iso).toLocaleTimeString([], { hour12: false }) : '');
const number = (value) => (value === undefined || value === null ? '—' : Number(value).toLocaleString('en'));

function status(text, good) {
  const node = $('status');
  node.textContent = text;
  node.className = good ? 'ok' : 'bad';
}

// ---- flow ----

function sparkline(counts) {
  const svgNs = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(svgNs, 'svg');
  const width = counts.length - 1;
  const top = Math.max(1, ...counts);
  svg.setAttribute('viewBox', `0 0 ${width} 30`);
  svg.setAttribute('preserveAspectRatio', 'none');
  const line = document.createElementNS(svgNs, 'polyline');
  line.setAttribute('points', counts.map((count, i) => `${i},${(29 - (count / top) * 27).toFixed(1)}`).join(' '));
  line.setAttribute('vector-effect', 'non-scaling-stroke');
  svg.append(line);
  return svg;
}

function drawFlow(flow) {
  for (const kind of ['command', 'query']) {
    const series = flow.series.filter((s) => s.kind === kind);
    const target = $(kind === 'command' ? 'flow-commands' : 'flow-queries');
    if (series.length === 0) {
      target.replaceChildren(el('p', { class: 'quiet', text: `No ${kind} in the last ${flow.seconds / 60} minutes.` }));
      continue;
    }
    target.replaceChildren(
      ...series.map((s) => {
        const recent = s.counts.slice(-11, -1);
        const rate = recent.reduce((a, b) => a + b, 0) / recent.length;
        const tone = s.outcome === 'accepted' || s.outcome === 'ok' ? '' : s.outcome === 'replayed' ? ' replayed' : ' problem';
        return el(
          'div',
          { class: `chart${tone}`, 'data-series': `${s.kind}/${s.name}/${s.outcome}`, 'data-total': s.total },
          el('div', { class: 'label' }, el('span', { text: `${s.name} · ${s.outcome}` }), el('b', { text: `${rate.toFixed(1)}/s · ${s.total}` })),
          sparkline(s.counts),
        );
      }),
    );
  }
}

// ---- projections ----

function drawProjections(projections) {
  const busy = projections.projections.some((p) => p.generations.building !== undefined || p.rebuild?.state === 'running');
  fill(
    $('projection-table').tBodies[0],
    projections.projections.map((p) => {
      const rebuild = p.rebuild;
      const generation = `${p.generations.active}${p.generations.building === undefined ? '' : ` → ${p.generations.building}`}`;
      const progress = el('progress', { max: Math.max(1, rebuild?.total ?? 1), value: rebuild ? Math.min(rebuild.replayed, rebuild.total) : 0 });
      const state = rebuild
        ? `${rebuild.state} ${number(rebuild.replayed)}/${number(rebuild.total)}${rebuild.state === 'running' && rebuild.etaSeconds !== undefined ? `, ${rebuild.etaSeconds} s left` : ''}${rebuild.error ? `: ${rebuild.error}` : ''}`
        : 'none from this instance';
      const button = el('button', { type: 'button', text: 'Rebuild', onclick: () => rebuildProjection(p.name, button) });
      button.disabled = busy;
      return el(
        'tr',
        { 'data-projection': p.name },
        el('td', { text: p.name }),
        el('td', { text: number(p.applied) }),
        el('td', { text: number(p.duplicates) }),
        el('td', { text: number(p.parked) }),
        el('td', { text: generation }),
        el('td', { class: 'rebuild' }, button, ' ', progress, el('span', { class: 'rebuild-state', 'data-state': rebuild?.state ?? 'none', text: state })),
      );
    }),
  );
  fill(
    $('shard-table').tBodies[0],
    projections.shards.map((s) =>
      el(
        'tr',
        { class: `${s.lagEvents > 0 ? 'lagging' : ''} ${s.ownedHere ? 'here' : ''}`, 'data-shard': s.shard },
        el('td', { text: s.shard }),
        el('td', { text: s.owner ?? 'nobody' }),
        el('td', { text: number(s.checkpoint) }),
        el('td', { text: number(s.head) }),
        el('td', { text: number(s.lagEvents) }),
        el('td', { text: s.lagSeconds === undefined ? '—' : s.lagSeconds.toFixed(1) }),
      ),
    ),
  );
}

async function rebuildProjection(name, button) {
  button.disabled = true;
  try {
    await post(`/admin/projections/${encodeURIComponent(name)}/rebuild`);
  } catch (error) {
    status(`rebuild of ${name}: ${error.message}`, false);
  }
}

// ---- parked ----

function drawParked(parked) {
  $('parked-empty').hidden = parked.items.length > 0;
  fill(
    $('parked-table').tBodies[0],
    parked.items.map((p) => {
      const key = `${p.projection}/${p.aggregateId}`;
      const outcome = el('span', { class: 'outcome' });
      const button = el('button', {
        type: 'button',
        text: 'Retry',
        onclick: async () => {
          button.disabled = true;
          try {
            const answer = await post(`/admin/parked/${encodeURIComponent(p.projection)}/${encodeURIComponent(p.aggregateId)}/retry`);
            outcome.textContent = answer.outcome;
          } catch (error) {
            outcome.textContent = error.message;
            button.disabled = false;
          }
        },
      });
      return el(
        'tr',
        { 'data-parked': key },
        el('td', { text: p.projection }),
        el('td', { text: `${p.aggregateType} ${p.aggregateId}` }),
        el('td', { text: p.version }),
        el('td', { class: 'reason', text: p.reason }),
        el('td', { text: p.parkedAt.replace('T', ' ').slice(0, 19) }),
        el('td', {}, button, ' ', outcome),
      );
    }),
  );
}

// ---- cluster ----

function drawCluster(cluster, instance) {
  const backend = cluster.backend;
  const facts = [
    ['instance', instance],
    ['backend', backend?.kind ?? 'unknown'],
    ['connection', cluster.connected ? 'connected' : `not connected${cluster.detail ? `: ${cluster.detail}` : ''}`, cluster.connected],
    ['connection epoch', cluster.connectionEpoch],
  ];
  if (backend?.writeThrough) {
    const error = backend.writeThrough.lastError;
    facts.push(['write-through', backend.writeThrough.target]);
    facts.push(['last write-through error', error ? `${time(error.at)} ${error.operation}: ${error.message}` : 'none seen', !error]);
  } else if (backend) {
    facts.push(['write-through', 'none: the embedded backend keeps everything in this process']);
  }
  if (cluster.error) facts.push(['error', cluster.error, false]);
  $('cluster-facts').replaceChildren(
    ...facts.flatMap(([name, value, good]) => [el('dt', { text: name }), el('dd', { text: value, class: good === undefined ? '' : good ? 'good' : 'bad' })]),
  );
  const members = backend?.members ?? [];
  $('members').replaceChildren(
    ...(members.length > 0
      ? members.map((m) => el('li', { text: `${m.address}${m.version ? ` · ${m.version}` : ''} · ${m.id}` }))
      : [el('li', { class: 'quiet', text: backend?.kind === 'memory' ? 'embedded: no members' : 'none known' })]),
  );
  fill(
    $('buffer-table').tBodies[0],
    (backend?.buffers ?? []).map((b) =>
      el('tr', {}, el('td', { text: b.shard }), el('td', { text: b.name }), el('td', { text: number(b.head) }), el('td', { text: number(b.tail) }), el('td', { text: number(b.capacity) })),
    ),
  );
}

// ---- recent events ----

function drawEvents(items) {
  fill(
    $('event-table').tBodies[0],
    items.map((e) =>
      el(
        'tr',
        { 'data-aggregate': `${e.aggregateType}/${e.aggregateId}`, 'data-version': e.version, 'data-type': e.eventType },
        el('td', { text: time(e.timestamp) }),
        el('td', { text: e.eventType }),
        el('td', { text: `${e.aggregateType} ${e.aggregateId}` }),
        el('td', { text: e.version }),
        el('td', { text: `${e.shard}/${e.sequence}` }),
      ),
    ),
  );
}

// ---- lookup ----

async function lookUp(event) {
  event.preventDefault();
  const kind = $('lookup-type').value;
  const id = $('lookup-id').value.trim();
  const summary = $('lookup-summary');
  summary.className = '';
  try {
    const found = await api(`/admin/console/${kind}/${encodeURIComponent(id)}`);
    const behind = found.streamVersion - found.viewVersion;
    summary.textContent =
      `${found.aggregateType} ${found.aggregateId}: stream at version ${found.streamVersion}, view at version ${found.viewVersion}` +
      (behind > 0 ? ` — the view lags its stream by ${behind}` : behind < 0 ? ' — the view is ahead of the stream it was read with' : ' — the view is current') +
      (found.parked ? ` · parked by ${found.parked.projection} at version ${found.parked.version}: ${found.parked.reason}` : '');
    summary.className = behind === 0 && !found.parked ? 'current' : 'lags';
    summary.dataset.stream = found.streamVersion;
    summary.dataset.view = found.viewVersion;
    fill(
      $('lookup-events').tBodies[0],
      found.events.map((e) =>
        el(
          'tr',
          { class: e.version > found.viewVersion ? 'unseen' : '' },
          el('td', { text: e.version }),
          el('td', { text: e.eventType }),
          el('td', { text: time(e.timestamp) }),
          el('td', { class: 'data', text: JSON.stringify(e.data) }),
        ),
      ),
    );
    $('lookup-view').textContent = found.view ? JSON.stringify(found.view, null, 2) : 'no view';
  } catch (error) {
    summary.textContent = error.message;
    summary.className = 'lags';
    $('lookup-events').tBodies[0].replaceChildren();
    $('lookup-view').textContent = '';
  }
}

// ---- the loop ----

async function refresh() {
  const overview = await api('/admin/console/overview');
  draw('flow', overview.flow.series, () => drawFlow(overview.flow));
  draw('projections', overview.projections, drawProjections);
  draw('parked', overview.parked, drawParked);
  draw('cluster', [overview.cluster, overview.instance], () => drawCluster(overview.cluster, overview.instance));
  if (!paused) draw('events', (await api(`/admin/console/events?limit=${EVENTS_SHOWN}`)).items.slice(0, EVENTS_SHOWN), drawEvents);
  status(`${overview.cluster.backend?.kind ?? ''} · ${overview.cluster.connected ? 'connected' : 'not connected'} · updated ${time(overview.at)}`, overview.cluster.connected);
}

function askForToken(reason) {
  $('board').hidden = true;
  $('login').hidden = false;
  status(reason, false);
  $('token').focus();
}

async function loop(mine) {
  if (mine !== run) return;
  try {
    await refresh();
    $('login').hidden = true;
    $('board').hidden = false;
  } catch (error) {
    if (error instanceof Refused) {
      token = undefined;
      askForToken(error.message);
      return;
    }
    status(`not answering: ${error.message}`, false);
  }
  setTimeout(() => loop(mine), POLL_MS);
}

$('login').addEventListener('submit', (event) => {
  event.preventDefault();
  token = $('token').value.trim();
  $('token').value = '';
  shown.clear();
  loop(++run);
});
$('pause').addEventListener('click', () => {
  paused = !paused;
  $('pause').textContent = paused ? 'Resume' : 'Pause';
  $('events').dataset.paused = String(paused);
});
$('lookup-form').addEventListener('submit', lookUp);
loop(++run);

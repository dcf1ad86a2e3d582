// The dashboard: polls /api/overview (a snapshot the gateway refreshes every gateway.overview-interval), draws it,
// and changes relays through the relays API. No framework, no build step: plain ES modules.
import * as api from './api.js';
import { LiveChart } from './charts.js';

const POLL_MS = 2000;
const $ = (id) => document.getElementById(id);
const number = new Intl.NumberFormat('en');
const rate = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

const rateChart = new LiveChart($('rate-chart'), [
  { label: 'events / s', color: '#4fc3f7', fill: 'rgba(79,195,247,0.12)' },
]);
const lagChart = new LiveChart($('lag-chart'), [
  { label: 'p50', color: '#81c784' },
  { label: 'p99', color: '#ffb74d' },
]);

let lastAsOf = null;
let latest = null;
// Changes made here show at once; the next snapshot after the change is the truth again.
const pending = new Map(); // relay id -> { relay (or null: removed), at }

function text(element, value) {
  element.textContent = value;
  return element;
}

function el(tag, className, content) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (content !== undefined) element.textContent = content;
  return element;
}

/** p50 / p99 / max in one unit: ms, or s once the max reaches a second. */
function lags({ p50Ms, p99Ms, maxMs }) {
  const [unit, scale] = maxMs >= 1000 ? ['s', 1000] : ['ms', 1];
  const values = [p50Ms, p99Ms, maxMs].map((v) => (scale === 1 ? Math.round(v) : rate.format(v / scale)));
  return `${values.join(' / ')} ${unit}`;
}

function showActionError(message) {
  const box = $('action-error');
  box.hidden = !message;
  text(box, message || '');
}

async function act(button, work) {
  button.disabled = true;
  showActionError(null);
  try {
    await work();
  } catch (e) {
    showActionError(e.message);
  } finally {
    button.disabled = false;
  }
}

function relayRow(relay, showOwner) {
  const row = el('tr');
  row.dataset.id = relay.id;
  row.dataset.url = relay.url;
  row.dataset.state = relay.state;

  const name = el('td', 'relay');
  name.append(el('span', 'name', relay.name), el('span', 'url', relay.url));
  if (relay.lastError) name.append(el('span', 'error', relay.lastError));
  row.append(name);

  const state = el('td');
  state.append(el('span', `badge state-${relay.state}`, relay.state.replace('-', ' ')));
  row.append(state);
  row.append(el('td', 'num rate', relay.eventsPerSecond === undefined ? '–' : rate.format(relay.eventsPerSecond)));
  row.append(el('td', 'num', relay.received === undefined ? '–' : number.format(relay.received)));
  row.append(el('td', 'num', relay.stored == null ? '–' : number.format(relay.stored)));
  row.append(el('td', 'num', relay.queueDepth == null ? '–' : number.format(relay.queueDepth)));
  const owner = el('td', 'owner', relay.owner || '');
  owner.hidden = !showOwner;
  row.append(owner);

  const actions = el('td', 'actions');
  const pause = el('button', 'pause', relay.paused ? 'Resume' : 'Pause');
  pause.type = 'button';
  pause.addEventListener('click', () => act(pause, async () => {
    const changed = await api.setPaused(relay.id, !relay.paused);
    pending.set(relay.id, { relay: { ...relay, ...changed }, at: Date.now() });
    render();
  }));
  const remove = el('button', 'remove danger', 'Remove');
  remove.type = 'button';
  remove.addEventListener('click', () => act(remove, async () => {
    if (!window.confirm(`Remove ${relay.url}? Its queue and statistics go; its events stay.`)) return;
    await api.removeRelay(relay.id);
    pending.set(relay.id, { relay: null, at: Date.now() });
    render();
  }));
  actions.append(pause, remove);
  row.append(actions);
  return row;
}

/** The snapshot's relays with the changes made since it was taken. */
function relays() {
  const asOf = latest ? Date.parse(latest.asOf) : 0;
  const byId = new Map((latest ? latest.relays : []).map((r) => [r.id, r]));
  for (const [id, change] of pending) {
    if (change.at < asOf) {
      pending.delete(id);
    } else if (change.relay === null) {
      byId.delete(id);
    } else {
      byId.set(id, { ...byId.get(id), ...change.relay });
    }
  }
  return [...byId.values()];
}

function renderRelays() {
  const list = relays();
  const showOwner = list.some((r) => r.owner);
  document.querySelectorAll('#relays th.owner').forEach((th) => { th.hidden = !showOwner; });
  $('relays').tBodies[0].replaceChildren(...list.map((r) => relayRow(r, showOwner)));
  $('no-relays').hidden = list.length > 0;
  text($('relay-count'), number.format(list.length));
}

function renderInstances(instances) {
  const panel = $('instances');
  panel.hidden = !Array.isArray(instances) || instances.length === 0;
  if (panel.hidden) return;
  panel.querySelector('tbody').replaceChildren(...instances.map((i) => {
    const row = el('tr');
    row.append(el('td', null, i.id), el('td', 'num', number.format(i.relays)),
      el('td', null, i.lastSeen ? new Date(i.lastSeen).toLocaleTimeString() : '–'));
    return row;
  }));
}

function render() {
  if (!latest) return;
  const o = latest;
  const phase = $('phase');
  text(phase, o.phase.replace('-', ' '));
  phase.className = `badge phase-${o.phase}`;
  text($('as-of'), `as of ${new Date(o.asOf).toLocaleTimeString()}`);
  text($('total-rate'), rate.format(o.totals.eventsPerSecond));
  text($('total-stored'), o.totals.stored == null ? 'unknown' : number.format(o.totals.stored));
  text($('total-received'), number.format(o.totals.received));
  text($('lag'), o.lag.count === 0 ? '–' : lags(o.lag));
  const dead = $('dead-letters');
  text(dead, o.deadLetters == null ? 'unknown' : number.format(o.deadLetters));
  dead.classList.toggle('alert', o.deadLetters > 0);
  renderRelays();
  renderInstances(o.instances);
}

async function poll() {
  try {
    const o = await api.overview();
    $('connection').hidden = true;
    latest = o;
    if (o.asOf !== lastAsOf) {
      lastAsOf = o.asOf;
      const t = Date.parse(o.asOf) / 1000;
      rateChart.push(t, [o.totals.eventsPerSecond]);
      lagChart.push(t, [o.lag.p50Ms, o.lag.p99Ms]);
    }
    render();
  } catch (e) {
    const box = $('connection');
    box.hidden = false;
    text(box, `gateway unreachable: ${e.message}`);
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

$('add-relay').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const button = form.querySelector('button');
  const message = $('form-message');
  text(message, '');
  message.className = '';
  act(button, async () => {
    try {
      const relay = await api.addRelay($('add-url').value.trim(), $('add-name').value.trim());
      pending.set(relay.id, { relay, at: Date.now() });
      form.reset();
      text(message, `added ${relay.url}`);
      message.className = 'ok';
      render();
    } catch (e) {
      text(message, e.message);
      message.className = 'problem';
    }
  });
});

poll();

// Drives the gateway's dashboard in a real browser: Debian's Chromium (env CHROMIUM overrides /usr/bin/chromium)
// through playwright-core. DashboardIT starts the gateway, its upstream relays and the events, then runs
//   node dashboard-check.js <baseUrl> <upstreamUrl> [screenshot]
// and expects exit 0. Every check prints one line; the first that fails ends the run with its reason.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const [baseUrl, upstreamUrl, screenshotArg] = process.argv.slice(2);
if (!baseUrl || !upstreamUrl) {
  console.error('usage: node dashboard-check.js <baseUrl> <upstreamUrl> [screenshot.png]');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const screenshot = resolve(screenshotArg || join(here, '../../../target/dashboard.png'));
const WAIT = { timeout: 30_000 };
const started = Date.now();

function step(what) {
  console.log(`ok ${String(Date.now() - started).padStart(6)} ms  ${what}`);
}

const profile = mkdtempSync(join(tmpdir(), 'dashboard-check-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1360, height: 900 },
});

// Whatever goes wrong in the page is collected; the one refusal the test provokes on purpose is let through.
const problems = [];
let expectRefusal = false;
const isProvokedRefusal = (url, status) => expectRefusal && status === 400 && url.endsWith('/api/relays');

try {
  const page = context.pages()[0] || await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const url = msg.location().url || '';
    if (isProvokedRefusal(url, 400) && msg.text().includes('400')) return;
    problems.push(`console: ${msg.text()} (${url})`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.method()} ${request.url()} `
    + `${request.failure()?.errorText}`));
  page.on('response', (response) => {
    if (response.status() >= 400 && !isProvokedRefusal(response.url(), response.status())) {
      problems.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
    }
  });
  page.on('dialog', (dialog) => dialog.accept()); // the remove button's confirmation

  const assertNoProblems = (when) => {
    if (problems.length > 0) throw new Error(`${when}:\n  ${problems.join('\n  ')}`);
  };
  const row = `#relays tbody tr[data-url="${upstreamUrl}"]`;
  const stateIs = (states) => page.waitForFunction(([selector, wanted]) => {
    const tr = document.querySelector(selector);
    return tr !== null && wanted.includes(tr.dataset.state);
  }, [row, states], WAIT);
  const nextSample = async () => {
    const before = await page.textContent('#as-of');
    await page.waitForFunction((was) => document.getElementById('as-of').textContent !== was, before, WAIT);
  };

  const response = await page.goto(`${baseUrl}/`, { waitUntil: 'load' });
  if (!page.url().endsWith('/dashboard/') || !response.ok()) {
    throw new Error(`/ should lead to /dashboard/, ended at ${page.url()} (${response.status()})`);
  }
  await page.waitForSelector('#phase[class*="phase-"]', WAIT);
  await page.waitForFunction(() => Number(document.getElementById('rate-chart').dataset.points) >= 1, null, WAIT);
  assertNoProblems('the page loaded with problems');
  step(`loaded ${page.url()}: phase ${await page.textContent('#phase')}, no console errors, no failed requests`);

  await page.fill('#add-url', upstreamUrl);
  await page.fill('#add-name', 'added in the browser');
  await page.click('#add-relay button[type=submit]');
  await stateIs(['connecting', 'catching-up', 'live']);
  step(`added ${upstreamUrl} through the form: state ${await page.getAttribute(row, 'data-state')}`);
  await stateIs(['live']);
  step('its state became live');

  await page.waitForFunction(() => Number(document.getElementById('rate-chart').dataset.max) > 0, null, WAIT);
  await page.waitForFunction((selector) => {
    const cell = document.querySelector(`${selector} td.rate`);
    return cell !== null && Number(cell.textContent.replace(/,/g, '')) > 0;
  }, row, WAIT);
  const points = await page.getAttribute('#rate-chart', 'data-points');
  const peak = Number(await page.getAttribute('#rate-chart', 'data-max')).toFixed(1);
  step(`the rate chart moved: ${points} samples, peak ${peak} `
    + `events/s; the added relay shows ${await page.textContent(`${row} td.rate`)} events/s`);
  // a few more points on the charts for the picture
  await page.waitForFunction(() => Number(document.getElementById('rate-chart').dataset.points) >= 6, null, WAIT);
  mkdirSync(dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot, fullPage: true });
  step(`screenshot ${screenshot}`);

  expectRefusal = true;
  await page.fill('#add-url', 'http://relay.example.com');
  await page.click('#add-relay button[type=submit]');
  await page.waitForSelector('#form-message.problem', WAIT);
  const detail = await page.textContent('#form-message');
  if (!/ws/.test(detail) || /^\d{3} /.test(detail)) {
    throw new Error(`the refusal should show the problem's detail, showed "${detail}"`);
  }
  expectRefusal = false;
  step(`an invalid URL shows the problem detail: "${detail}"`);

  await page.click(`${row} button.pause`);
  await stateIs(['paused']);
  await nextSample();
  await stateIs(['paused']);
  step('paused, and still paused in the next sample');
  await page.click(`${row} button.pause`);
  await stateIs(['connecting', 'catching-up', 'live']);
  step(`resumed: ${await page.getAttribute(row, 'data-state')}`);

  await page.click(`${row} button.remove`);
  await page.waitForSelector(row, { ...WAIT, state: 'detached' });
  await nextSample();
  if (await page.$(row) !== null) throw new Error('the removed relay came back in the next sample');
  step('removed, and gone in the next sample');

  // Owners and instances come with instances that share relays: shown when the API has them, hidden when not.
  await page.route('**/api/overview', async (route) => {
    const fetched = await route.fetch();
    const overview = await fetched.json();
    overview.relays.forEach((r) => { r.owner = 'gateway-1'; });
    overview.instances = [{ id: 'gateway-1', relays: overview.relays.length, lastSeen: overview.asOf }];
    await route.fulfill({ response: fetched, json: overview });
  });
  await page.waitForSelector('#instances:not([hidden])', WAIT);
  await page.waitForSelector('#relays th.owner:not([hidden])', WAIT);
  await page.unroute('**/api/overview');
  await page.waitForSelector('#instances', { ...WAIT, state: 'hidden' });
  await page.waitForSelector('#relays th.owner', { ...WAIT, state: 'hidden' });
  step('owner column and instances panel shown while the API has them, hidden when it has not');

  assertNoProblems('problems in the page');
  step('no console errors, no failed requests');
} catch (e) {
  console.error(`FAILED after ${Date.now() - started} ms: ${e.message}`);
  if (problems.length > 0) console.error(`page problems:\n  ${problems.join('\n  ')}`);
  process.exitCode = 1;
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}

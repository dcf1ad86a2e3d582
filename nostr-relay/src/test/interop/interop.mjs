// Drives a running relay with nostr-tools (an independent client) and prints one JSON line of results for InteropIT:
// publish, query by id, a live subscription, OK false for a tampered event, NIP-42 AUTH, and a NIP-77 negentropy
// reconciliation with nostr-tools' own client.
// Usage: node interop.mjs ws://127.0.0.1:<port>
import WebSocket from 'ws'
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay'
import { finalizeEvent, generateSecretKey, getPublicKey, verifyEvent } from 'nostr-tools/pure'
// nip77 has no subpath export of its own; the package root re-exports it
import { nip77 } from 'nostr-tools'

useWebSocketImplementation(WebSocket)

const url = process.argv[2]
if (!url) {
  console.error('usage: node interop.mjs ws://host:port')
  process.exit(2)
}

const within = (ms, what, promise) =>
  Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms))])

const outcome = (promise) =>
  promise.then((message) => ({ ok: true, message }), (error) => ({ ok: false, message: String(error?.message ?? error) }))

const secretKey = generateSecretKey()
const pubkey = getPublicKey(secretKey)
const now = Math.floor(Date.now() / 1000)
const sign = (content, kind = 1, tags = []) => finalizeEvent({ kind, created_at: now, tags, content }, secretKey)

const result = {}
const relay = await within(10_000, 'connect', Relay.connect(url))

// Publish: OK true once stored.
const first = sign('hello from nostr-tools', 1, [['t', 'interop']])
result.publish = { id: first.id, ...(await within(10_000, 'publish', outcome(relay.publish(first)))) }

// Query: the stored event comes back, intact, before EOSE.
const stored = []
await within(10_000, 'query', new Promise((resolve) => {
  const sub = relay.subscribe([{ ids: [first.id] }], {
    onevent: (event) => stored.push(event),
    oneose: () => { sub.close(); resolve() },
  })
}))
result.query = { ids: stored.map((e) => e.id), verified: stored.every((e) => verifyEvent(e)) }

// Live: after EOSE, an event published meanwhile arrives on the open subscription.
const second = sign('live from nostr-tools', 1, [['t', 'interop']])
let eoseSeen = false
result.live = await within(10_000, 'live event', new Promise((resolve) => {
  const sub = relay.subscribe([{ authors: [pubkey], '#t': ['interop'], since: now }], {
    oneose: () => {
      eoseSeen = true
      outcome(relay.publish(second)).then((ok) => { result.livePublish = ok })
    },
    onevent: (event) => {
      if (event.id === second.id) {
        sub.close()
        resolve({ id: event.id, afterEose: eoseSeen, verified: verifyEvent(event) })
      }
    },
  })
}))

// Tampered: the content changed after signing, so the id no longer matches: OK false.
const tampered = { ...sign('original content'), content: 'tampered content' }
result.tampered = await within(10_000, 'tampered publish', outcome(relay.publish(tampered)))

// NIP-42: answer the challenge the relay sent on connect.
result.auth = await within(10_000, 'auth', outcome(relay.auth((template) => Promise.resolve(finalizeEvent(template, secretKey)))))

// NIP-77: 48 events on the relay, of which the client holds all but every fourth, plus 4 it never published.
// Enough items that the first message is fingerprints, not a list of ids.
const syncKey = generateSecretKey()
const syncEvent = (i, content) => finalizeEvent({ kind: 1, created_at: now - i, tags: [], content }, syncKey)
const storage = new nip77.NegentropyStorageVector()
const expected = { need: [], have: [] }
for (let i = 0; i < 48; i++) {
  const event = syncEvent(i, `synced ${i}`)
  const ok = await within(10_000, 'publish for sync', outcome(relay.publish(event)))
  if (!ok.ok) throw new Error(`publish for sync refused: ${ok.message}`)
  if (i % 4 === 0) expected.need.push(event.id)
  else storage.insert(event.created_at, event.id)
}
for (let i = 0; i < 4; i++) {
  const event = syncEvent(i, `only here ${i}`)
  storage.insert(event.created_at, event.id)
  expected.have.push(event.id)
}
storage.seal()
const found = { need: [], have: [] }
result.negentropy = await within(15_000, 'negentropy', new Promise((resolve) => {
  const sync = new nip77.NegentropySync(relay, storage, { authors: [getPublicKey(syncKey)] }, {
    onhave: (id) => found.have.push(id),
    onneed: (id) => found.need.push(id),
    onclose: (reason) => resolve({ closedBy: reason ?? null, ...found, expected }),
  })
  sync.start()
}))

relay.close()
console.log(JSON.stringify(result))
process.exit(0)

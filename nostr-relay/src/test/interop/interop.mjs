// Drives a running relay with nostr-tools (an independent client) and prints one JSON line of results for InteropIT:
// publish, query by id, a live subscription, OK false for a tampered event, and NIP-42 AUTH.
// Usage: node interop.mjs ws://127.0.0.1:<port>
import WebSocket from 'ws'
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay'
import { finalizeEvent, generateSecretKey, getPublicKey, verifyEvent } from 'nostr-tools/pure'

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

relay.close()
console.log(JSON.stringify(result))
process.exit(0)

import * as Ids from "./ids"

/** A message in the fake mailbox, kept as the parts Gmail derives its answers from. */
export interface GmailMessage {
  readonly id: string
  readonly threadId: string
  readonly labelIds: ReadonlyArray<string>
  readonly from: string
  readonly to: string
  readonly subject: string
  readonly text: string
  /** When Gmail accepted the message (ms since the epoch). */
  readonly internalDate: number
  /** The history record that added the message. */
  readonly historyId: number
}

/** A message to seed the mailbox with; ids, thread and history are assigned when absent. */
export interface SeedMessage {
  readonly id?: string | undefined
  readonly threadId?: string | undefined
  readonly labelIds?: ReadonlyArray<string> | undefined
  readonly from: string
  readonly to: string
  readonly subject: string
  readonly text: string
  readonly internalDate: number
}

/** A label of the mailbox. */
export interface GmailLabel {
  readonly id: string
  readonly name: string
  readonly type: "system" | "user"
}

/** One change to the mailbox: a message added. */
export interface GmailHistoryRecord {
  readonly id: number
  readonly messageId: string
}

/** What a page token stands for: the listing it continues and where. */
export interface GmailPageToken {
  readonly listing: string
  readonly offset: number
}

/** A user's quota bucket: units refill continuously up to the burst. */
export interface QuotaBucket {
  units: number
  updatedAt: number
}

/** The fake mailbox of one user, its tokens and its quota. */
export interface GmailState {
  /** The address of the mailbox; `userId` may be it or `me`. */
  readonly emailAddress: string
  /** Access tokens the fake accepts. */
  readonly tokens: Set<string>
  /** Messages by id, in the order they were added; listings sort them newest first. */
  readonly messages: Map<string, GmailMessage>
  readonly labels: Array<GmailLabel>
  readonly history: Array<GmailHistoryRecord>
  /** The mailbox's current history id. */
  historyId: number
  readonly pageTokens: Map<string, GmailPageToken>
  /** Quota buckets by user (the mailbox address). */
  readonly quota: Map<string, QuotaBucket>
  /** Quota units spent, accepted calls only. */
  unitsSpent: number
  /** Multipart batch requests answered, and the calls they carried. */
  batches: number
  batchedCalls: number
  /** Messages sent through `messages.send`. */
  sent: number
}

/** Gmail's system labels, and one label of the user's own. */
export const defaultLabels: ReadonlyArray<GmailLabel> = [
  { id: "INBOX", name: "INBOX", type: "system" },
  { id: "SENT", name: "SENT", type: "system" },
  { id: "UNREAD", name: "UNREAD", type: "system" },
  { id: "STARRED", name: "STARRED", type: "system" },
  { id: "IMPORTANT", name: "IMPORTANT", type: "system" },
  { id: "DRAFT", name: "DRAFT", type: "system" },
  { id: "SPAM", name: "SPAM", type: "system" },
  { id: "TRASH", name: "TRASH", type: "system" },
  { id: "Label_1", name: "Customers", type: "user" }
]

/** A Gmail-looking message id: 16 hex digits, unique per counter. */
export const messageId = (counter: number): string =>
  `18c${Ids.uuid("gmail", counter).slice(0, 7)}${counter.toString(16).padStart(6, "0")}`

const senders = [
  "Ada Lovelace <ada@example.com>",
  "Grace Hopper <grace@example.com>",
  "Alan Turing <alan@example.com>",
  "Billing <billing@stripe.example>"
]

const subjects = ["Weekly product sync", "Invoice", "Launch plan", "Pricing review"]

/**
 * Deterministic sample messages, newest first, one minute apart before `latest`: senders and
 * subjects rotate, every third message is unread and every fifth carries the `Customers` label.
 */
export const sampleMessages = (
  count: number,
  latest: number = Date.parse("2026-11-12T16:00:00Z")
): ReadonlyArray<SeedMessage> =>
  Array.from({ length: count }, (_, index) => ({
    from: senders[index % senders.length]!,
    to: "me@example.com",
    subject: `${subjects[index % subjects.length]} #${count - index}`,
    text: `Message ${count - index} of ${count}. ${subjects[index % subjects.length]} notes follow.`,
    internalDate: latest - index * 60_000,
    labelIds: [
      "INBOX",
      ...(index % 3 === 0 ? ["UNREAD"] : []),
      ...(index % 5 === 0 ? ["Label_1"] : [])
    ]
  }))

/** Adds a message to the mailbox, recording its history. */
export const addMessage = (state: GmailState, seed: SeedMessage): GmailMessage => {
  state.historyId += 1
  const id = seed.id ?? messageId(state.messages.size + 1)
  const message: GmailMessage = {
    id,
    threadId: seed.threadId ?? id,
    labelIds: seed.labelIds ?? ["INBOX"],
    from: seed.from,
    to: seed.to,
    subject: seed.subject,
    text: seed.text,
    internalDate: seed.internalDate,
    historyId: state.historyId
  }
  state.messages.set(id, message)
  state.history.push({ id: state.historyId, messageId: id })
  return message
}

/** The value of a `from:`, `subject:` or free-text term of a Gmail search. */
interface Term {
  readonly field: "from" | "subject" | "any"
  readonly value: string
}

const termsOf = (q: string): ReadonlyArray<Term> =>
  (q.match(/(?:\w+:)?(?:"[^"]*"|\S+)/g) ?? []).map((token) => {
    const match = /^(from|subject):(.*)$/i.exec(token)
    const raw = match === null ? token : (match[2] ?? "")
    const value = raw.replace(/^"|"$/g, "").toLowerCase()
    const field = match === null ? "any" : (match[1]!.toLowerCase() as "from" | "subject")
    return { field, value }
  })

const matchesTerm = (message: GmailMessage, term: Term): boolean => {
  switch (term.field) {
    case "from":
      return message.from.toLowerCase().includes(term.value)
    case "subject":
      return message.subject.toLowerCase().includes(term.value)
    case "any":
      return `${message.from} ${message.subject} ${message.text}`.toLowerCase().includes(term.value)
  }
}

/**
 * The messages a listing answers, newest first: every label of `labelIds` applied, every term
 * of `q` found (`from:` and `subject:` by substring, other words anywhere), spam and trash left
 * out unless asked for.
 */
export const search = (
  state: GmailState,
  options: {
    readonly q: string
    readonly labelIds: ReadonlyArray<string>
    readonly includeSpamTrash: boolean
  }
): ReadonlyArray<GmailMessage> => {
  const terms = termsOf(options.q)
  return [...state.messages.values()]
    .filter(
      (message) =>
        options.includeSpamTrash ||
        !message.labelIds.some((label) => label === "SPAM" || label === "TRASH")
    )
    .filter((message) => options.labelIds.every((label) => message.labelIds.includes(label)))
    .filter((message) => terms.every((term) => matchesTerm(message, term)))
    .sort((a, b) => b.internalDate - a.internalDate || b.historyId - a.historyId)
}

/** One page of a listing, or why the page token was refused. */
export type Paged<A> =
  | { readonly _tag: "Page"; readonly items: ReadonlyArray<A>; readonly next: string | undefined }
  | { readonly _tag: "Invalid"; readonly message: string }

/**
 * Pages a listing: `maxResults` defaults to 100 and is capped at 500; the page token is opaque
 * and bound to its listing (the same query).
 */
export const page = <A>(
  state: GmailState,
  query: URLSearchParams,
  listing: string,
  items: ReadonlyArray<A>
): Paged<A> => {
  const raw = query.get("maxResults")
  const requested = raw === null || raw === "" ? 100 : Number(raw)
  if (!Number.isInteger(requested) || requested < 0) {
    return {
      _tag: "Invalid",
      message: `Invalid value '${raw}'. Values must be within the range: [0, 500]`
    }
  }
  const size = requested === 0 ? 100 : Math.min(requested, 500)
  let offset = 0
  const token = query.get("pageToken") ?? ""
  if (token !== "") {
    const entry = state.pageTokens.get(token)
    if (entry === undefined || entry.listing !== listing) {
      return { _tag: "Invalid", message: "Invalid pageToken" }
    }
    offset = entry.offset
  }
  const end = offset + size
  let next: string | undefined
  if (end < items.length) {
    next = Ids.opaque(`${listing}:${end}:${state.pageTokens.size}`)
    state.pageTokens.set(next, { listing, offset: end })
  }
  return { _tag: "Page", items: items.slice(offset, end), next }
}

/** Takes `units` from the user's bucket, or says it is empty. */
export const spend = (
  state: GmailState,
  user: string,
  units: number,
  limit: { readonly unitsPerMinute: number; readonly burst: number },
  now: number
): boolean => {
  const bucket = state.quota.get(user) ?? { units: limit.burst, updatedAt: now }
  const refill = (Math.max(0, now - bucket.updatedAt) / 60_000) * limit.unitsPerMinute
  bucket.units = Math.min(limit.burst, bucket.units + refill)
  bucket.updatedAt = Math.max(bucket.updatedAt, now)
  state.quota.set(user, bucket)
  if (bucket.units < units) return false
  bucket.units -= units
  state.unitsSpent += units
  return true
}

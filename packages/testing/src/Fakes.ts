import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Layer from "effect/Layer"
import * as FakeAi from "./FakeAi"
import * as FakeNotion from "./FakeNotion"
import * as FakeServer from "./FakeServer"
import * as FakeSlack from "./FakeSlack"
import * as FakeZoom from "./FakeZoom"

/** Options of all four fakes: knobs shared by each (every fake keeps its own bucket), then per vendor. */
export interface Options extends FakeServer.Knobs {
  readonly zoom?: FakeZoom.Options | undefined
  readonly notion?: FakeNotion.Options | undefined
  readonly slack?: FakeSlack.Options | undefined
  readonly ai?: FakeAi.Options | undefined
}

/** The base URL of each fake served on loopback (Zoom's API is under `/v2`, OAuth at the root). */
export interface ServedUrls {
  readonly zoom: string
  readonly notion: string
  readonly slack: string
  readonly ai: string
}

/** The four fakes served on loopback, one port each. */
export interface Served {
  readonly urls: ServedUrls
  /** Closes every server and the connections still open. */
  readonly close: () => Promise<void>
}

/** The four fakes, with one `HttpClient` layer and one `fetch` routing every vendor origin. */
export interface Fakes {
  readonly zoom: FakeServer.Fake<FakeZoom.ZoomState>
  readonly notion: FakeServer.Fake<FakeNotion.NotionState>
  readonly slack: FakeServer.Fake<FakeSlack.SlackState>
  readonly ai: FakeServer.Fake<FakeAi.AiState>
  /** The handler of every vendor origin. */
  readonly routes: Record<string, FakeServer.Handler>
  /** An in-process `fetch` answering every vendor origin. */
  readonly fetch: typeof fetch
  /** An `HttpClient` answering every vendor origin in process. */
  readonly layer: Layer.Layer<HttpClient.HttpClient>
  /** Serves each fake on its own loopback port. */
  readonly serveAll: () => Promise<Served>
}

const knobsOf = (options: Options): FakeServer.Knobs => ({
  latency: options.latency,
  rateLimit: options.rateLimit,
  faults: options.faults,
  now: options.now,
  random: options.random
})

/**
 * Makes the Zoom, Notion, Slack and AI fakes, seeded with the samples by default.
 *
 * @example
 * import { Fakes } from "@workway/testing"
 *
 * const fakes = Fakes.make({ notion: { rateLimit: { rate: 3, burst: 10 } } })
 * const served = await fakes.serveAll()
 * // NOTION_BASE_URL = `${served.urls.notion}/v1`; afterwards: fakes.notion.stats.throttled
 * await served.close()
 */
export const make = (options: Options = {}): Fakes => {
  const shared = knobsOf(options)
  const zoom = FakeZoom.make({ ...shared, ...options.zoom })
  const notion = FakeNotion.make({ ...shared, ...options.notion })
  const slack = FakeSlack.make({ ...shared, ...options.slack })
  const ai = FakeAi.make({ ...shared, ...options.ai })
  const routes = FakeServer.routesOf(zoom, notion, slack, ai)

  const serveAll = async (): Promise<Served> => {
    const servers = await Promise.allSettled(
      [zoom, notion, slack, ai].map((fake) => FakeServer.serve(fake.handler))
    )
    const started = servers.flatMap((result) =>
      result.status === "fulfilled" ? [result.value] : []
    )
    const close = async () => {
      await Promise.all(started.map((server) => server.close()))
    }
    const failure = servers.find((result) => result.status === "rejected")
    if (failure !== undefined) {
      await close()
      throw failure.reason
    }
    const [zoomUrl, notionUrl, slackUrl, aiUrl] = started.map((server) => server.url)
    return {
      urls: { zoom: zoomUrl!, notion: notionUrl!, slack: slackUrl!, ai: aiUrl! },
      close
    }
  }

  return {
    zoom,
    notion,
    slack,
    ai,
    routes,
    fetch: FakeServer.fetchOf(routes),
    layer: FakeServer.layer(routes),
    serveAll
  }
}

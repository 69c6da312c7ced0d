import type { Handler } from "../FakeServer"

const raceAbort = (response: Promise<Response>, signal: AbortSignal): Promise<Response> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) {
      response.catch(() => undefined)
      return reject(signal.reason)
    }
    const onAbort = () => reject(signal.reason)
    signal.addEventListener("abort", onAbort, { once: true })
    response.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort))
  })

/** A `fetch` that dispatches on the request's origin; an unknown host fails like DNS would. */
export const fetchOf = (routes: Readonly<Record<string, Handler>>): typeof fetch => {
  const inProcess = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init)
    const url = new URL(request.url)
    const handler = routes[url.origin]
    if (handler === undefined) {
      throw new TypeError("fetch failed", {
        cause: Object.assign(new Error(`getaddrinfo ENOTFOUND ${url.hostname}`), {
          code: "ENOTFOUND"
        })
      })
    }
    return raceAbort(handler(request), request.signal)
  }
  return inProcess
}

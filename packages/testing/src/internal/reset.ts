/**
 * The connection was dropped before any response: in process it rejects the fetch the way
 * undici does (a `TypeError` "fetch failed" caused by a socket error); the loopback server
 * destroys the socket instead.
 */
export class ConnectionReset extends TypeError {
  constructor() {
    super("fetch failed", {
      cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" })
    })
  }
}

/** The fault proxy's public types, shared by the programmatic API and the `/__faults` control route. */

export type Fault =
  /** Reads the request and never answers until the client gives up. `forward: true` lets the upstream act first. */
  | { kind: 'stall'; forward?: boolean }
  /** Destroys the socket before anything reaches the upstream. */
  | { kind: 'reset' }
  /**
   * Forwards, then answers with the upstream body cut to `keepBytes` (default: half of it).
   * `contentLength: 'cut'` (default) declares the cut length, so the body is complete but malformed;
   * `'original'` declares the full length and then closes the socket, as a connection cut mid-body.
   */
  | { kind: 'truncate'; keepBytes?: number; contentLength?: 'cut' | 'original' }
  /** Forwards (the upstream acts), then answers 200 with bytes that are neither XML nor JSON. */
  | { kind: 'garbage' }
  /** Forwards (the upstream acts), then destroys the socket instead of answering. */
  | { kind: 'lostResponse' }
  /** Forwards, and replaces every occurrence of `from` with `to` in the response body. */
  | { kind: 'rewrite'; from: string; to: string }
  /** Answers as the provider does for an expired session, without forwarding: AWS 403 ExpiredToken, Google 401 UNAUTHENTICATED. */
  | { kind: 'expiredCredentials' }
  /** Forwards at once (the upstream acts), and holds the answer for `ms`: a slow call still in flight. */
  | { kind: 'delay'; ms: number }
  /** Answers this status (and body) without forwarding. */
  | { kind: 'httpStatus'; status: number; body?: string; contentType?: string };

export type FaultKind = Fault['kind'];

export interface FaultMatch {
  /** awsQuery `Action` (e.g. `DescribeStacks`) or a Google call name (e.g. `deployments.patch`, see README). */
  action?: string;
  /** HTTP method, any case. */
  method?: string;
  /** Substring of the request path (without the query). */
  pathIncludes?: string;
}

export interface FaultRule {
  match: FaultMatch;
  fault: Fault;
  /** How many matching requests get the fault. Default 1; `Infinity` (or `"always"` over HTTP) for all. */
  times?: number;
  /** Let the first N matching requests through untouched. Default 0. */
  skip?: number;
}

export interface ProxyLogEntry {
  /** Real time (ms since the epoch) the request arrived. */
  at: number;
  action?: string;
  method: string;
  path: string;
  fault?: FaultKind;
  /** Status sent to the client; 0 when the socket was destroyed or never answered. Absent while pending. */
  status?: number;
}

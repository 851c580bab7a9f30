/**
 * A local HTTP server whose answers the test sets, for driving the real AWS SDK clients over HTTP
 * into answers a simulator would never give (silence, garbage, an HTML page from a proxy).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Reply = (res: ServerResponse, req: IncomingMessage) => void;

/** Reads each request to its end, counts it, then answers with `reply` (which the test may swap). */
export class ScriptedServer {
  private server?: Server;
  requests = 0;
  url = '';

  constructor(public reply: Reply) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.requests++;
      req.resume();
      req.on('end', () => this.reply(res, req));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

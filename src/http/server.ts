import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';

export type Route = (req: IncomingMessage, res: ServerResponse, body: Buffer) => Promise<void> | void;

const MAX_BODY = 1024 * 1024;

/** A small HTTP server: health, Stripe and provider webhooks (raw bodies), Telegram's webhook. */
export function createHttpServer(routes: Record<string, Route>, logger: Logger): Server {
  return createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const route = routes[`${req.method} ${path}`];
    if (!route) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    try {
      const body = await readBody(req);
      await route(req, res, body);
    } catch (error) {
      logger.error({ err: error, path }, 'http handler failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"internal"}');
    }
  });
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

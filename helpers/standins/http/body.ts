/**
 * Reading a request body with a size limit, and parsing it as JSON without ever throwing.
 * An oversized body is drained (not stored) so the client can still read the error response.
 */
import type { IncomingMessage } from 'node:http';

export type BodyRead =
  | { kind: 'ok'; text: string; bytes: number }
  | { kind: 'too_large'; bytes: number; limitBytes: number }
  | { kind: 'aborted' };

/** Past this many times the limit a body is no longer drained: the connection is cut instead. */
const DRAIN_FACTOR = 16;

export function readBody(req: IncomingMessage, limitBytes: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let settled = false;
    const settle = (result: BodyRead) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= limitBytes) chunks.push(chunk);
      else if (bytes > limitBytes * DRAIN_FACTOR) {
        req.destroy();
        settle({ kind: 'aborted' });
      }
    });
    req.on('end', () => {
      if (bytes > limitBytes) settle({ kind: 'too_large', bytes, limitBytes });
      else settle({ kind: 'ok', text: Buffer.concat(chunks).toString('utf8'), bytes });
    });
    req.on('error', () => settle({ kind: 'aborted' }));
    req.on('close', () => settle({ kind: 'aborted' }));
  });
}

export type JsonParse = { ok: true; value: unknown } | { ok: false; error: string };

export function parseJson(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** A plain JSON object (not an array, not null): what every request body of both APIs must be. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

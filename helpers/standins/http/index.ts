/** The HTTP kit every stand-in is built from: server, body parsing, responses, auth, faults, rate limits, request log, test-only control routes. */
export * from './auth.js';
export * from './body.js';
export * from './control-routes.js';
export * from './faults.js';
export * from './handle.js';
export * from './rate-limiter.js';
export * from './request-log.js';
export * from './respond.js';
export * from './server.js';

/** The business rules of SPEC.md as data — the one place the harness reads them from. */
export * from './sequences.js';
export * from './segment.js';
export * from './payloads.js';
export * from './notion-model.js';
export * from './email.js';
export * from './endpoints.js';
export * from './identity.js';
export * from './funnel.js';
export * from './analytics.js';

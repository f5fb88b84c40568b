/**
 * What the local Kestra stand-in (the embedded stack the e2e specs can run against) executes.
 * PLACEHOLDER owned by the linter until the stand-in's engineer makes this module the real
 * source: the `standin-unsupported` rule warns about flows using anything outside these lists,
 * so the stand-in and the flows stay in step. Pebble features come from helpers/pebble's
 * `exportsSupported`.
 */
const P = 'io.kestra.plugin.core';

/** Task types the stand-in runs (canonical class names). */
export const STANDIN_TASK_TYPES: readonly string[] = [
  `${P}.http.Request`,
  `${P}.log.Log`,
  `${P}.flow.Subflow`,
  `${P}.flow.If`,
  `${P}.flow.Switch`,
  `${P}.debug.Return`,
  `${P}.output.OutputValues`,
  `${P}.execution.Fail`,
  `${P}.flow.Sequential`,
];

/** Trigger types the stand-in fires. */
export const STANDIN_TRIGGER_TYPES: readonly string[] = [`${P}.trigger.Webhook`];

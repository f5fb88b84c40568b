/**
 * What the local Kestra stand-in runs, for the \`standin-unsupported\` rule. The stand-in owns the
 * lists (helpers/standins/kestra/support.ts is THE source: its engine refuses the same flows);
 * this module is the linter's door to them. Pebble features come from helpers/kestra-model/pebble's
 * \`exportsSupported\`.
 */
export {
  SUPPORTED_TASK_TYPES as STANDIN_TASK_TYPES,
  SUPPORTED_TRIGGER_TYPES as STANDIN_TRIGGER_TYPES,
  unsupportedFeatures,
  type UnsupportedFeature,
} from '../../standins/kestra/support.js';

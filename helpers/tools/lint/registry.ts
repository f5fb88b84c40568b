/**
 * Every rule, in the order the rule table lists them. Adding a rule = adding its module under
 * rules/ and one line here (the unit test fails for a module missing from this list).
 */
import type { Rule, ProfileName, RuleProfile } from './types.js';
import yamlSyntax from './rules/yaml-syntax.js';
import requiredFields from './rules/required-fields.js';
import idPattern from './rules/id-pattern.js';
import duplicateTaskId from './rules/duplicate-task-id.js';
import duplicateInputId from './rules/duplicate-input-id.js';
import unknownInputType from './rules/unknown-input-type.js';
import inputValidatorRegex from './rules/input-validator-regex.js';
import unknownCoreType from './rules/unknown-core-type.js';
import unknownCoreProperty from './rules/unknown-core-property.js';
import deprecatedCoreAlias from './rules/deprecated-core-alias.js';
import switchWithoutCases from './rules/switch-without-cases.js';
import dagDependsOn from './rules/dag-depends-on.js';
import workingDirectoryTasks from './rules/working-directory-tasks.js';
import subflowSelfCall from './rules/subflow-self-call.js';
import pebbleSyntax from './rules/pebble-syntax.js';
import pebbleOutputsRef from './rules/pebble-outputs-ref.js';
import pebbleUndeclaredInput from './rules/pebble-undeclared-input.js';
import pebbleTriggerRef from './rules/pebble-trigger-ref.js';
import secretPrefix from './rules/secret-prefix.js';
import ifAlwaysTrue from './rules/if-always-true.js';
import namespaceFolder from './rules/namespace-folder.js';
import subflowTargetExists from './rules/subflow-target-exists.js';
import subflowInputs from './rules/subflow-inputs.js';
import webhookKeyLiteral from './rules/webhook-key-literal.js';
import secretProvided from './rules/secret-provided.js';
import envProvided from './rules/env-provided.js';
import unusedConfig from './rules/unused-config.js';
import hardcodedApiUrl from './rules/hardcoded-api-url.js';
import notionVersion from './rules/notion-version.js';
import noScriptTasks from './rules/no-script-tasks.js';
import delayedSend from './rules/delayed-send.js';
import handlerWebhook from './rules/handler-webhook.js';
import signupNoSend from './rules/signup-no-send.js';
import assessmentNoEmail1 from './rules/assessment-no-email-1.js';
import sequenceSchedule from './rules/sequence-schedule.js';
import standinUnsupported from './rules/standin-unsupported.js';
import composeImagePinned from './rules/compose-image-pinned.js';
import composeTraefik from './rules/compose-traefik.js';
import composePostgresPrivate from './rules/compose-postgres-private.js';
import composePublishedPorts from './rules/compose-published-ports.js';
import composeContainerName from './rules/compose-container-name.js';
import composeHealthcheck from './rules/compose-healthcheck.js';
import composeDependsHealthy from './rules/compose-depends-healthy.js';
import composeHostMounts from './rules/compose-host-mounts.js';
import composeEnvDocumented from './rules/compose-env-documented.js';
import composeSecretLiteral from './rules/compose-secret-literal.js';
import composeTestingModeOff from './rules/compose-testing-mode-off.js';
import composeBasicAuth from './rules/compose-basic-auth.js';
import serverValidate from './rules/server-validate.js';
import serverSchema from './rules/server-schema.js';

export const RULES: readonly Rule[] = [
  yamlSyntax,
  requiredFields,
  idPattern,
  duplicateTaskId,
  duplicateInputId,
  unknownInputType,
  inputValidatorRegex,
  unknownCoreType,
  unknownCoreProperty,
  deprecatedCoreAlias,
  switchWithoutCases,
  dagDependsOn,
  workingDirectoryTasks,
  subflowSelfCall,
  pebbleSyntax,
  pebbleOutputsRef,
  pebbleUndeclaredInput,
  pebbleTriggerRef,
  secretPrefix,
  ifAlwaysTrue,
  namespaceFolder,
  subflowTargetExists,
  subflowInputs,
  webhookKeyLiteral,
  secretProvided,
  envProvided,
  unusedConfig,
  hardcodedApiUrl,
  notionVersion,
  noScriptTasks,
  delayedSend,
  handlerWebhook,
  signupNoSend,
  assessmentNoEmail1,
  sequenceSchedule,
  standinUnsupported,
  composeImagePinned,
  composeTraefik,
  composePostgresPrivate,
  composePublishedPorts,
  composeContainerName,
  composeHealthcheck,
  composeDependsHealthy,
  composeHostMounts,
  composeEnvDocumented,
  composeSecretLiteral,
  composeTestingModeOff,
  composeBasicAuth,
  serverValidate,
  serverSchema,
];

/** The rule profiles a CLI profile runs (server rules run only with --server). */
export function profilesFor(profile: ProfileName, server: boolean): Set<RuleProfile> {
  const set = new Set<RuleProfile>(profile === 'kestra' ? ['kestra'] : ['kestra', 'project', 'compose']);
  if (server) set.add('server');
  return set;
}

export function rulesFor(profile: ProfileName, server: boolean): Rule[] {
  const profiles = profilesFor(profile, server);
  return RULES.filter((r) => profiles.has(r.profile));
}

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}

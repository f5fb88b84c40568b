/**
 * Every rule, in the order the rule table lists them. Adding a rule = adding its module under
 * rules/<profile>/ (the folder is its profile) and one line here (the unit test fails for a module missing from this list).
 */
import type { Rule, ProfileName, RuleProfile } from './types.js';
import yamlSyntax from './rules/kestra/yaml-syntax.js';
import requiredFields from './rules/kestra/required-fields.js';
import idPattern from './rules/kestra/id-pattern.js';
import duplicateTaskId from './rules/kestra/duplicate-task-id.js';
import duplicateInputId from './rules/kestra/duplicate-input-id.js';
import unknownInputType from './rules/kestra/unknown-input-type.js';
import inputValidatorRegex from './rules/kestra/input-validator-regex.js';
import unknownCoreType from './rules/kestra/unknown-core-type.js';
import unknownCoreProperty from './rules/kestra/unknown-core-property.js';
import deprecatedCoreAlias from './rules/kestra/deprecated-core-alias.js';
import switchWithoutCases from './rules/kestra/switch-without-cases.js';
import dagDependsOn from './rules/kestra/dag-depends-on.js';
import workingDirectoryTasks from './rules/kestra/working-directory-tasks.js';
import subflowSelfCall from './rules/kestra/subflow-self-call.js';
import pebbleSyntax from './rules/kestra/pebble-syntax.js';
import pebbleOutputsRef from './rules/kestra/pebble-outputs-ref.js';
import pebbleUndeclaredInput from './rules/kestra/pebble-undeclared-input.js';
import pebbleTriggerRef from './rules/kestra/pebble-trigger-ref.js';
import secretPrefix from './rules/kestra/secret-prefix.js';
import ifAlwaysTrue from './rules/kestra/if-always-true.js';
import namespaceFolder from './rules/project/namespace-folder.js';
import subflowTargetExists from './rules/project/subflow-target-exists.js';
import subflowInputs from './rules/project/subflow-inputs.js';
import webhookKeyLiteral from './rules/project/webhook-key-literal.js';
import secretProvided from './rules/project/secret-provided.js';
import envProvided from './rules/project/env-provided.js';
import unusedConfig from './rules/project/unused-config.js';
import hardcodedApiUrl from './rules/project/hardcoded-api-url.js';
import notionVersion from './rules/project/notion-version.js';
import noScriptTasks from './rules/project/no-script-tasks.js';
import delayedSend from './rules/project/delayed-send.js';
import handlerWebhook from './rules/project/handler-webhook.js';
import signupNoSend from './rules/project/signup-no-send.js';
import assessmentNoEmail1 from './rules/project/assessment-no-email-1.js';
import sequenceSchedule from './rules/project/sequence-schedule.js';
import standinUnsupported from './rules/project/standin-unsupported.js';
import composeImagePinned from './rules/compose/compose-image-pinned.js';
import composeTraefik from './rules/compose/compose-traefik.js';
import composePostgresPrivate from './rules/compose/compose-postgres-private.js';
import composePublishedPorts from './rules/compose/compose-published-ports.js';
import composeContainerName from './rules/compose/compose-container-name.js';
import composeHealthcheck from './rules/compose/compose-healthcheck.js';
import composeDependsHealthy from './rules/compose/compose-depends-healthy.js';
import composeHostMounts from './rules/compose/compose-host-mounts.js';
import composeEnvDocumented from './rules/compose/compose-env-documented.js';
import composeSecretLiteral from './rules/compose/compose-secret-literal.js';
import composeTestingModeOff from './rules/compose/compose-testing-mode-off.js';
import composeBasicAuth from './rules/compose/compose-basic-auth.js';
import serverValidate from './rules/server/server-validate.js';
import serverSchema from './rules/server/server-schema.js';

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

/** The one module that reads the environment: a missing or malformed variable is one line naming it. */
import { test, expect } from '@playwright/test';
import { ConfigError, optionalVar, requiredVar, selectedTarget, isTrue } from '../../helpers/config/env.js';

test('an unset or empty variable is undefined when optional', () => {
  expect(optionalVar('KESTRA_URL', {})).toBeUndefined();
  expect(optionalVar('KESTRA_URL', { KESTRA_URL: '' })).toBeUndefined();
});

test('a malformed variable is a ConfigError naming it and what it must be', () => {
  expect(() => optionalVar('KESTRA_URL', { KESTRA_URL: 'kestra.local' })).toThrow(ConfigError);
  expect(() => optionalVar('KESTRA_URL', { KESTRA_URL: 'kestra.local' })).toThrow(/^KESTRA_URL must be an absolute URL.*\(got "kestra.local"\)$/);
});

test('a flag that is neither true nor false is refused, naming it', () => {
  expect(() => optionalVar('KESTRA_TESTING_MODE', { KESTRA_TESTING_MODE: 'maybe' })).toThrow(/^KESTRA_TESTING_MODE must be true or false \(got "maybe"\)$/);
});

test('a required variable that is missing says who needs it', () => {
  expect(() => requiredVar('KESTRA_URL', {})).toThrow(/^KESTRA_URL is not set — needed by remote target/);
  expect(requiredVar('KESTRA_URL', { KESTRA_URL: 'https://kestra.example' })).toBe('https://kestra.example');
});

test('asking for a variable the harness does not document is a programming error', () => {
  expect(() => optionalVar('NOT_A_HARNESS_VARIABLE', { NOT_A_HARNESS_VARIABLE: 'x' })).toThrow(/not a harness variable/);
});

test('the target defaults to local and must be one of the three', () => {
  expect(selectedTarget({})).toBe('local');
  expect(selectedTarget({ HARNESS_TARGET: 'remote' })).toBe('remote');
  expect(() => selectedTarget({ HARNESS_TARGET: 'staging' })).toThrow(/^HARNESS_TARGET must be local, container or remote/);
});

test('flags: true and 1 are on; anything else off', () => {
  expect([isTrue('true'), isTrue('1'), isTrue('false'), isTrue('0'), isTrue(undefined)]).toEqual([true, true, false, false, false]);
});

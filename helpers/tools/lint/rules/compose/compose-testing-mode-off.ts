import { defineRule, examples } from '../../rule.js';

const ID = 'compose-testing-mode-off';

/** The flows read the flag as envs.testing_mode, i.e. the ENV_TESTING_MODE variable. */
const FLAG = 'ENV_TESTING_MODE';

/**
 * The value the flag takes when the deployment sets nothing: a literal, or the default of a
 * `${VAR:-default}` / `${VAR-default}` interpolation; undefined when there is none (`${VAR}`,
 * `${VAR:?error}`).
 */
export function unsetValue(value: string): string | undefined {
  const interpolation = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::?-(.*)|:?\?.*)?\}$/.exec(value.trim());
  if (!interpolation) return value.includes('${') ? undefined : value.trim();
  return interpolation[1];
}

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'compose',
  description: 'Testing mode (ENV_TESTING_MODE) is off unless the deployment turns it on: its default is false.',
  doc: 'SPEC §2: testing mode is one deployment-level flag, default off. With it on, emails go out minutes apart instead of days, so a production deploy that forgets the variable must get `false`: write `ENV_TESTING_MODE: ${TESTING_MODE:-false}` (or the literal `false`). A default of `true`, or no default at all, is reported.',
  examples: examples(ID, ['offending-default-on.compose.yml', 'offending-no-default.compose.yml'], ['clean.compose.yml']),
  *check(ctx) {
    for (const c of ctx.composeFiles) {
      const compose = c.compose;
      if (!compose) continue;
      for (const s of compose.services) {
        for (const e of s.environment) {
          if (e.key !== FLAG || e.value === undefined) continue;
          const unset = unsetValue(e.value);
          if (unset === 'false') continue;
          const said = unset === undefined ? 'has no default' : `defaults to '${unset}'`;
          yield { file: c.file.path, ...compose.entryValuePos(e), message: `service '${s.name}': ${FLAG} ${said}: testing mode must default to false (SPEC §2), e.g. \${TESTING_MODE:-false}` };
        }
      }
    }
  },
});

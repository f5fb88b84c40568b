/**
 * The one version pin (SPEC §8) and what the stand-in derives from it: the webhook's answer to inputs
 * it cannot render or validate.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '../support/unit-test.js';
import { parseKestraTag, pinnedKestraVersion, webhookInputRefusalStatus } from '../../helpers/kestra-model/pinned-version.js';

test('the pin is the kestra/kestra image tag of the product compose file', () => {
  expect(pinnedKestraVersion()).toMatchObject({ major: 1, minor: 3, patch: 16, text: '1.3.16' });
});

test('a compose file without a versioned kestra image is an error naming the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pin-'));
  const file = join(dir, 'compose.yml');
  try {
    writeFileSync(file, 'services:\n  kestra:\n    image: kestra/kestra:latest\n');
    expect(() => pinnedKestraVersion(file)).toThrow(`${file}: no kestra/kestra image with a version tag`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Kestra 1.1–1.3 answer 409 when a webhook's inputs cannot be rendered or validated; the release after
// kestra-io/kestra#16871 (1.4) answers 422 UNPROCESSABLE_ENTITY with no body (SPEC §5). Both sides of 1.4:
for (const [tag, status] of [['v1.1.0', 409], ['v1.3.16', 409], ['v1.3.99', 409], ['v1.4.0', 422], ['v2.0.0', 422]] as const) {
  test(`webhook input refusal on ${tag} is ${status}`, () => {
    expect(webhookInputRefusalStatus(parseKestraTag(tag)!)).toBe(status);
  });
}

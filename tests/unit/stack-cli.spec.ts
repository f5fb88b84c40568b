/**
 * `npm run stack:local` (helpers/tools/cli/stack-local.ts): ONE JSON object on the first line of stdout,
 * then it serves until SIGTERM/SIGINT and exits 0; bad arguments exit 2 with one readable line.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect, test } from '@playwright/test';
import { parseStackArgs } from '../../helpers/tools/cli/stack-local.js';
import { validPayload } from '../../helpers/scenarios/payloads.js';
import { WEBHOOK_NAMES } from '../../helpers/spec/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// tsx's loader in this node process's executable: one process per run (the tsx command starts two)
const TSX_LOADER = pathToFileURL(`${ROOT}node_modules/tsx/dist/loader.mjs`).href;

function runCli(args: string[]) {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, 'helpers/tools/cli/stack-local.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

test('stack:local prints one JSON line with the three URLs and five webhook URLs, serves, and exits 0 on SIGTERM', async () => {
  test.setTimeout(30_000);
  const cli = runCli([]);
  try {
    await expect.poll(() => cli.out().includes('\n'), { message: 'the first line of stdout', timeout: 20_000 }).toBe(true);
    const [first, ...rest] = cli.out().split('\n');
    expect(rest.join('')).toBe('');
    const described = JSON.parse(first!) as { kestra: string; notion: string; resend: string; webhooks: Record<string, string> };
    expect(Object.keys(described)).toEqual(['kestra', 'notion', 'resend', 'webhooks']);
    expect(Object.keys(described.webhooks).sort()).toEqual([...WEBHOOK_NAMES].sort());
    const res = await fetch(described.webhooks.signup!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(validPayload('signup')) });
    expect(res.status).toBe(200);
    const settled = await fetch(`${described.kestra}/__standin/settle`, { method: 'POST' });
    expect(settled.status).toBe(200);
  } finally {
    cli.child.kill('SIGTERM');
  }
  expect(await cli.exited).toBe(0);
});

test('stack:local refuses an unknown argument with one line and exit code 2', async () => {
  test.setTimeout(30_000);
  const cli = runCli(['--clock', 'sundial']);
  expect(await cli.exited).toBe(2);
  expect(cli.out()).toBe('');
  expect(cli.err().trim()).toBe('stack:local: --clock must be virtual or real (got "sundial")');
});

test('stack:local arguments: testing mode, clock, ports, auth', () => {
  expect(parseStackArgs(['--testing-mode', '--clock', 'real', '--kestra-port', '8080', '--no-auth', '--retry-delay-scale', '0.5'])).toEqual({
    kestraAuth: false,
    testingMode: true,
    clock: 'real',
    retryDelayScale: 0.5,
    ports: { kestra: 8080 },
  });
  expect(() => parseStackArgs(['--kestra-port', 'x'])).toThrow('--kestra-port must be a port number 0–65535 (got "x")');
  expect(() => parseStackArgs(['--what'])).toThrow(/unknown argument "--what"/);
});

/**
 * `npm run stack:local` (helpers/tools/cli/stack-local.ts): ONE JSON object on the first line of stdout,
 * then it serves until SIGTERM/SIGINT and exits 0; bad arguments exit 2 with one readable line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from '../support/unit-test.js';
import { isolatedEnv } from '../../helpers/config/isolated-env.js';
import { answerArguments, parseStackArgs } from '../../helpers/tools/cli/stack-local.js';
import { validPayload } from '../../helpers/scenarios/payloads.js';
import { NOTION_VERSION, WEBHOOK_NAMES } from '../../helpers/spec/index.js';
import { remoteTargetVariables } from '../../helpers/targets/remote.js';
import { npmScriptArgs } from '../support/npm-script.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Resolves with stdout so far once it holds a whole line (event-driven: no polling interval to wait out). */
function firstLine(child: ChildProcess, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`no line on stdout within ${timeoutMs} ms (got ${JSON.stringify(stdout)})`)), timeoutMs);
    child.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (stdout.includes('\n')) {
        clearTimeout(timer);
        resolve(stdout);
      }
    });
  });
}

function runCli(args: string[]) {
  const child = spawn(process.execPath, [...npmScriptArgs('stack:local'), ...args], { cwd: ROOT, env: isolatedEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
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
    await firstLine(cli.child);
    const [first, ...rest] = cli.out().split('\n');
    expect(rest.join('')).toBe('');
    const described = JSON.parse(first!) as { kestra: string; notion: string; resend: string; webhooks: Record<string, string>; credentials: { kestra: { username: string; password: string }; notionToken: string; resendApiKey: string }; env: Record<string, string> };
    expect(Object.keys(described)).toEqual(['kestra', 'notion', 'resend', 'webhooks', 'credentials', 'notionDataSources', 'env']);
    // The printed credentials open the stand-ins' authenticated APIs…
    const basic = `Basic ${Buffer.from(`${described.credentials.kestra.username}:${described.credentials.kestra.password}`).toString('base64')}`;
    expect((await fetch(`${described.kestra}/api/v1/main/flows/christmas/send-email`, { headers: { authorization: basic } })).status).toBe(200);
    expect((await fetch(`${described.kestra}/api/v1/main/flows/christmas/send-email`)).status).toBe(401);
    expect((await fetch(`${described.notion}/v1/users/me`, { headers: { authorization: `Bearer ${described.credentials.notionToken}`, 'notion-version': NOTION_VERSION } })).status).toBe(200);
    // …and `env` holds every variable the remote target needs, pointing at them.
    expect(Object.keys(described.env).sort()).toEqual(remoteTargetVariables({ NOTION_TOKEN: 'set' }).concat('NOTION_TOKEN', 'RESEND_API_KEY').sort());
    expect(described.env.KESTRA_URL).toBe(described.kestra);
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

test('stack:local --help lists every option and exits 0', () => {
  // In-process: answerArguments is what the command prints and exits with before it starts anything
  // (the spawned refusal above proves how such an answer leaves the process).
  const help = answerArguments(['--help']);
  expect('options' in help ? help : { code: help.code, stderr: help.stderr }).toEqual({ code: 0, stderr: '' });
  for (const flag of ['--testing-mode', '--clock virtual|real', '--retry-delay-scale', '--kestra-port', '--notion-port', '--resend-port', '--host', '--no-auth']) expect('stdout' in help ? help.stdout : '').toContain(flag);
  expect(parseStackArgs(['--clock', 'real', '-h'])).toBe('help');
});

test('stack:local stops, closing its ports, when the process that started it is killed (npm, a shell)', async () => {
  test.setTimeout(30_000);
  // A shell in between, as npm runs scripts: killing it sends nothing to the stack.
  const shell = spawn('sh', ['-c', `${[process.execPath, ...npmScriptArgs('stack:local')].map((a) => `"${a}"`).join(' ')}; true`], { cwd: ROOT, env: isolatedEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const stdout = await firstLine(shell);
    const { kestra } = JSON.parse(stdout.split('\n')[0]!) as { kestra: string };
    expect((await fetch(`${kestra}/ping`)).status).toBe(200);
    shell.kill('SIGKILL');
    // The stack checks its ancestors every 500 ms; poll at 100 ms instead of expect.poll's default back-off to 1 s.
    await expect.poll(async () => fetch(`${kestra}/ping`).then(() => 'open', () => 'closed'), { timeout: 10_000, intervals: [100] }).toBe('closed');
  } finally {
    shell.kill('SIGKILL');
  }
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

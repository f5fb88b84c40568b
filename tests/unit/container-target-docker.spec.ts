/**
 * The container target's contact with Docker: the availability probe (fast, cached, one line of
 * reason without an engine), the log plumbing (Docker's multiplexed frames, ANSI, redaction), and
 * one real boot of the product compose file — skipped, with the reason, where no engine runs.
 */
import { test, expect } from '../support/unit-test.js';
import { performance } from 'node:perf_hooks';
import { SEND_EMAIL_FLOW, WEBHOOK_HANDLERS, webhookPath } from '../../helpers/spec/index.js';
import { dockerAvailability, describeAvailability, versionAtLeast } from '../../helpers/targets/container/docker-available.js';
import { DockerLogDemuxer, demuxDockerLogs, tail } from '../../helpers/targets/container/logs.js';
import { REDACTED, SecretRedactor, stripAnsi } from '../../helpers/targets/container/redact.js';
import { startContainerStack } from '../../helpers/targets/container/start.js';

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

test.describe('Docker availability', () => {
  test('answers within a few seconds with ok+info or one line of reason, and caches the answer', async () => {
    const started = performance.now();
    const first = await dockerAvailability();
    expect(performance.now() - started).toBeLessThan(8_000);
    if (first.ok) {
      expect(first.info.serverVersion).toBeTruthy();
      expect(first.info.composeVersion).toMatch(/^v?\d+\.\d+/);
    } else {
      expect(first.reason).toMatch(/^container target needs/);
      expect(first.reason).not.toContain('\n');
    }
    expect(describeAvailability(first)).not.toContain('\n');
    const again = performance.now();
    expect(await dockerAvailability()).toBe(first);
    expect(performance.now() - again).toBeLessThan(50);
  });

  test('compares Compose versions the way releases are numbered', () => {
    expect(versionAtLeast('2.29.7', '2.20.0')).toBe(true);
    expect(versionAtLeast('v2.24.6-desktop.1', '2.24.4')).toBe(true);
    expect(versionAtLeast('2.19.9', '2.20.0')).toBe(false);
    expect(versionAtLeast('1.29.2', '2.20.0')).toBe(false);
  });

  test('without an engine, starting the target fails with the same one-line reason', async () => {
    const availability = await dockerAvailability();
    test.skip(availability.ok, 'a Docker engine is available here; the boot test below covers this path');
    await expect(startContainerStack({ notionUrl: 'http://127.0.0.1:9', resendUrl: 'http://127.0.0.1:9', onProgress: () => undefined }))
      .rejects.toThrow(availability.ok ? '' : availability.reason);
  });
});

test.describe('container logs', () => {
  test('Docker\'s multiplexed stdout/stderr frames are joined back into text', () => {
    expect(demuxDockerLogs(Buffer.concat([frame(1, 'Kestra starting\n'), frame(2, 'WARN something\n'), frame(1, 'Server Running\n')])))
      .toBe('Kestra starting\nWARN something\nServer Running\n');
  });

  test('frames split across chunks are reassembled; TTY output passes through as is', () => {
    const whole = Buffer.concat([frame(1, 'first line\n'), frame(2, 'second line\n')]);
    const demuxer = new DockerLogDemuxer();
    for (let i = 0; i < whole.length; i += 5) demuxer.push(whole.subarray(i, i + 5));
    expect(demuxer.text()).toBe('first line\nsecond line\n');
    expect(demuxDockerLogs('plain tty output\n')).toBe('plain tty output\n');
  });

  test('keeps only the newest output beyond its size limit, and says so', () => {
    const demuxer = new DockerLogDemuxer(20);
    for (let i = 0; i < 10; i += 1) demuxer.push(frame(1, `line ${i}\n`));
    expect(demuxer.text()).toMatch(/^… \(earlier output dropped\)\n/);
    expect(demuxer.text()).toContain('line 9\n');
    expect(demuxer.text()).not.toContain('line 0\n');
    expect(tail('a\nb\nc\nd', 2)).toBe('…\nc\nd');
  });

  test('ANSI codes are stripped and secrets redacted in every form Kestra could print them', () => {
    const redactor = new SecretRedactor(['ntn_secret_token']).addBasicAuth('harness@example.com', 'Harness-pw.Z9');
    const b64 = Buffer.from('ntn_secret_token').toString('base64');
    const basic = Buffer.from('harness@example.com:Harness-pw.Z9').toString('base64');
    const text = redactor.log(`\u001b[32mINFO\u001b[0m token=ntn_secret_token env=${b64} auth=Basic ${basic} pw=Harness-pw.Z9 url=${encodeURIComponent('Harness-pw.Z9')}`);
    expect(text).toBe(`INFO token=${REDACTED} env=${REDACTED} auth=Basic ${REDACTED} pw=${REDACTED} url=${REDACTED}`);
    expect(stripAnsi('\u001b]0;title\u0007done')).toBe('done');
  });
});

test.describe('the real stack', () => {
  test('boots the product compose file with the test override, deploys the flows, and tears down', async ({}, testInfo) => {
    const availability = await dockerAvailability();
    test.skip(!availability.ok, availability.ok ? '' : availability.reason);
    // Pulling kestra/kestra and postgres on a cold machine, then a JVM start with migrations.
    test.setTimeout(20 * 60_000);

    const progress: string[] = [];
    const target = await startContainerStack({
      // Nothing calls the stand-ins in this test (no execution runs); the URLs only have to be valid.
      notionUrl: 'http://127.0.0.1:9',
      resendUrl: 'http://127.0.0.1:9',
      runId: 'unit-boot',
      onProgress: (line) => {
        progress.push(line);
        console.log(line);
      },
    });
    try {
      await test.step('Kestra is healthy and was timed', async () => {
        expect(target.bootMs).toBeGreaterThan(0);
        expect(progress.some((line) => /boot time \d+\.\d s/.test(line))).toBe(true);
        expect((await target.kestra.health()).ok).toBe(true);
      });

      await test.step('Docker sees both containers healthy through the product\'s own health checks', async () => {
        // What Dokploy shows: the compose file's healthcheck commands run inside the images.
        await expect.poll(async () => target.containerHealth(), { timeout: 120_000, intervals: [2_000, 5_000] })
          .toEqual({ kestra: 'healthy', postgres: 'healthy' });
      });

      await test.step('every repository namespace was deployed, in plan order', async () => {
        expect(target.deployed.map((d) => d.namespace)).toEqual(target.plan.deploy.map((s) => s.namespace));
        const sendEmail = await target.kestra.getFlowSource(SEND_EMAIL_FLOW.namespace, SEND_EMAIL_FLOW.flowId);
        expect(sendEmail.id).toBe(SEND_EMAIL_FLOW.flowId);
      });

      await test.step('the API needs the login; webhook routes stay open', async () => {
        const search = await fetch(`${target.kestraUrl}/api/v1/main/flows/search`);
        expect(search.status).toBe(401);
        const webhook = await fetch(`${target.kestraUrl}${webhookPath(WEBHOOK_HANDLERS.signup, 'not-the-key')}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        expect(webhook.status, 'a wrong key is refused by Kestra, not by basic auth').not.toBe(401);
      });

      await test.step('container logs come back through dockerode, redacted', async () => {
        const logs = await target.containerLogs();
        await testInfo.attach('kestra container log', { body: logs.kestra, contentType: 'text/plain' });
        await testInfo.attach('postgres container log', { body: logs.postgres, contentType: 'text/plain' });
        expect(logs.kestra.length).toBeGreaterThan(0);
        expect(logs.postgres).toContain('database system is ready');
        for (const secret of target.plan.redactions) expect(logs.kestra).not.toContain(secret);
      });
    } finally {
      await target.stop();
    }
  });
});

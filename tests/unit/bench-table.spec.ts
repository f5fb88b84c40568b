/**
 * `npm run bench` (helpers/tools/cli/bench.ts): every budget of issue 14 gets a row, figures are
 * judged against their budget on both sides of the line, unmeasured rows say so, and the Speed
 * table in README.md is the one the bench generated (from the figures it embeds), not typed.
 */
import { test, expect } from '../support/unit-test.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  BUDGETS, figuresOfBlock, readmeSpeedBlock, speedMarkdownBlock, speedTable, verdict, withSpeedBlock, type SpeedFigures,
} from '../../helpers/tools/bench/speed-table.js';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const at = { measuredAt: '2026-12-02T01:00:00Z', machine: '2 CPUs, load average 0.5' };

test('the budgets are the issue\'s: lint +200 ms, 1,000 flows 3 s, stack 1 s, webhook 50 ms, 5 days 1 s, verify 8 s, npm test 90 s', () => {
  expect(BUDGETS.map((b) => [b.id, b.limitMs, !!b.full])).toEqual([
    ['lint-startup', 200, false],
    ['lint-1000', 3000, false],
    ['stack-up', 1000, false],
    ['webhook-terminal', 50, false],
    ['five-day', 1000, false],
    ['verify', 8000, true],
    ['npm-test', 90_000, true],
  ]);
});

test('a figure at its budget is ok, one past it is MISS; over a baseline, only the added time counts', () => {
  const webhook = BUDGETS.find((b) => b.id === 'webhook-terminal')!;
  expect(verdict(webhook, { wallMs: 50, runs: 30 })).toBe('ok');
  expect(verdict(webhook, { wallMs: 50.1, runs: 30 })).toBe('MISS');
  const lint = BUDGETS.find((b) => b.id === 'lint-startup')!;
  expect(verdict(lint, { wallMs: 250, baseline: { wallMs: 50 }, runs: 11 })).toBe('ok');
  expect(verdict(lint, { wallMs: 251, baseline: { wallMs: 50 }, runs: 11 })).toBe('MISS');
  expect(verdict(lint, undefined)).toBe('not measured');
});

test('every budget prints a row: MISS where over, the ratio to bare Node, "not measured (use --full)" for the suite rows', () => {
  const figures: SpeedFigures = {
    ...at,
    figures: {
      'lint-startup': { wallMs: 300, cpuMs: 280, baseline: { wallMs: 60, cpuMs: 40 }, runs: 11 },
      'lint-1000': { wallMs: 1500, cpuMs: 1400, runs: 3 },
      'stack-up': { wallMs: 1200, cpuMs: 900, runs: 1 },
      'webhook-terminal': { wallMs: 4.8, cpuMs: 3.1, runs: 30 },
      'five-day': { wallMs: 60, runs: 5 },
    },
  };
  const lines = speedTable(figures).split('\n');
  expect(lines).toHaveLength(2 + BUDGETS.length);
  const row = (what: string) => lines.find((l) => l.startsWith(what)) ?? '';
  expect(row('lint start-up')).toMatch(/\+240 ms, 11 runs\s+\+240 ms\s+5\.00× bare Node \(60 ms\)\s+MISS$/);
  expect(row('lint 1,000')).toMatch(/1\.50 s, 3 runs\s+1\.40 s\s+–\s+ok$/);
  expect(row('embedded stack up')).toMatch(/MISS$/);
  expect(row('webhook')).toMatch(/4\.8 ms, 30 runs\s+3\.1 ms\s+–\s+ok$/);
  expect(row('`npm run verify`')).toMatch(/not measured \(use --full\)\s+–\s+–\s+not measured$/);
  expect(row('`npm test`')).toMatch(/not measured \(use --full\)/);
});

test('the README block round-trips: rewritten from figures, it carries those figures', () => {
  const figures: SpeedFigures = { ...at, figures: { 'five-day': { wallMs: 61, runs: 5 } } };
  const readme = withSpeedBlock(readFileSync(README, 'utf8'), figures);
  expect(figuresOfBlock(readmeSpeedBlock(readme)!)).toEqual(figures);
  expect(readmeSpeedBlock(readme)).toBe(speedMarkdownBlock(figures));
});

test('the Speed table in README.md is the one npm run bench generated from the figures it shows', () => {
  const block = readmeSpeedBlock(readFileSync(README, 'utf8'));
  expect(block, 'README.md needs the speed-table markers').toBeDefined();
  const figures = figuresOfBlock(block!);
  expect(figures, 'the block starts with its <!-- speed-figures … --> comment').toBeDefined();
  expect(block, 'regenerate it with: npm run bench -- --readme (add --full for the verify and npm test rows)').toBe(speedMarkdownBlock(figures!));
});

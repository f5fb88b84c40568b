/**
 * A scenario's verdicts as data: each check names what it compares, what the spec implies
 * (expected) and what the run produced (actual). Specs assert on them one by one, verify counts
 * them, smoke prints the failing ones — no test framework needed here.
 */
import { isDeepStrictEqual } from 'node:util';

export interface Check {
  name: string;
  expected: unknown;
  actual: unknown;
  ok: boolean;
}

export class CheckList {
  readonly items: Check[] = [];

  /** Deep equality (dates compared as ISO strings by the caller). */
  equal(name: string, expected: unknown, actual: unknown): boolean {
    const ok = isDeepStrictEqual(expected, actual);
    this.items.push({ name, expected, actual, ok });
    return ok;
  }

  /** `actual` lies within `tolerance` of `expected` (numbers, e.g. milliseconds). */
  near(name: string, expected: number, actual: number | null, tolerance: number): boolean {
    const ok = actual !== null && Math.abs(actual - expected) <= tolerance;
    this.items.push({ name, expected: tolerance === 0 ? expected : `${expected} ± ${tolerance}`, actual, ok });
    return ok;
  }

  get failed(): Check[] {
    return this.items.filter((c) => !c.ok);
  }
}

/** One readable line per failed check. */
export function describeFailures(checks: readonly Check[]): string[] {
  return checks.filter((c) => !c.ok).map((c) => `${c.name}: expected ${JSON.stringify(c.expected)}, got ${JSON.stringify(c.actual)}`);
}

/** An ISO string for a date-ish value (null stays null), so Notion's and Kestra's formats compare equal. */
export function iso(value: string | Date | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}

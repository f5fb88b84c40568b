/** Types of categories.mjs (the subset of Allure 3's `CategoryRule` the harness uses). */
export type CategoryStatus = 'failed' | 'broken' | 'passed' | 'skipped' | 'unknown';

export interface CategoryObjectMatcher {
  statuses?: readonly CategoryStatus[];
  /** A RegExp source, tested with `new RegExp(source).test(message)` (no flags), as Allure does. */
  message?: string;
  trace?: string;
  flaky?: boolean;
}

export interface CategoryRule {
  id: string;
  name: string;
  matchers: CategoryObjectMatcher | readonly CategoryObjectMatcher[];
  groupByMessage?: boolean;
  hide?: boolean;
}

export declare const RATE_LIMITED_PATTERN: string;
export declare const HTTP_5XX_PATTERN: string;
export declare const TIMEOUT_PATTERN: string;
export declare const UNAVAILABLE_PATTERN: string;
export declare const UNAVAILABLE_SKIP_PATTERN: string;
export declare const NOT_APPLICABLE_SKIP_PATTERN: string;
export declare const ASSERTION_PATTERN: string;
export declare const REPORT_CATEGORIES: readonly CategoryRule[];

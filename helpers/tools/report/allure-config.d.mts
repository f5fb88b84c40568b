/** Types of allure-config.mjs. */
import type { CategoryRule } from './categories.mjs';

export declare const REPORT_ENVIRONMENTS: readonly string[];

export interface HarnessAllureConfig {
  name: string;
  output: string;
  historyPath: string;
  historyLimit: number;
  appendHistory: boolean;
  variables: Record<string, string>;
  categories: { rules: CategoryRule[] };
  plugins: Record<string, { import?: string; options: Record<string, unknown> }>;
}

export declare function harnessAllureConfig(where: { env: string; output: string; historyPath: string; variables?: Record<string, string> }): HarnessAllureConfig;

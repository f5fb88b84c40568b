/**
 * allure-playwright, writing its results without an fsync per file. Its FileSystemWriter (3.12)
 * writes each result to a temporary file, fsyncs it and renames it into place; the fsync blocks
 * the runner's only thread for each of the suite's ~1,400 tests, while it can neither collect
 * results nor hand the next test to a worker. The rename alone keeps what matters here: a reader
 * never sees half a file. (Durability across a power cut is no concern for one run's results.)
 * Same options and output files as 'allure-playwright'; playwright.config.ts names this module.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AllureReporter } from 'allure-playwright';
import type { Suite } from '@playwright/test/reporter';

/**
 * allure-js-commons' `Writer` (sdk/reporter), as far as this module uses it. Spelled out here:
 * dependency-cruiser resolves without package `exports` maps, and that subpath exists only there.
 */
interface Writer {
  writeResult(result: { uuid: string }): void;
  writeGroup(result: { uuid: string }): void;
  writeAttachment(distFileName: string, content: Buffer): void;
  writeAttachmentFromPath(distFileName: string, from: string): void;
  writeEnvironmentInfo(info: unknown): void;
  writeCategoriesDefinitions(categories: unknown): void;
  writeGlobals(distFileName: string, info: unknown): void;
}

/** The per-test files (results, containers, attachments) without fsync; the rare others go to allure's own writer. */
class ResultsWriter implements Writer {
  private made = false;

  constructor(
    private readonly dir: string,
    private readonly allures: Writer,
  ) {}

  writeResult(result: { uuid: string }): void {
    this.publish(`${result.uuid}-result.json`, JSON.stringify(result));
  }

  writeGroup(result: { uuid: string }): void {
    this.publish(`${result.uuid}-container.json`, JSON.stringify(result));
  }

  writeAttachment(distFileName: string, content: Buffer): void {
    this.publish(distFileName, content);
  }

  writeAttachmentFromPath(distFileName: string, from: string): void {
    this.allures.writeAttachmentFromPath(distFileName, from);
  }

  writeEnvironmentInfo(info: unknown): void {
    this.allures.writeEnvironmentInfo(info);
  }

  writeCategoriesDefinitions(categories: unknown): void {
    this.allures.writeCategoriesDefinitions(categories);
  }

  writeGlobals(distFileName: string, info: unknown): void {
    this.allures.writeGlobals(distFileName, info);
  }

  private publish(name: string, data: string | Buffer): void {
    if (!this.made) mkdirSync(this.dir, { recursive: true });
    this.made = true;
    const path = join(this.dir, name);
    writeFileSync(`${path}.tmp`, data);
    renameSync(`${path}.tmp`, path);
  }
}

type Options = ConstructorParameters<typeof AllureReporter>[0];

export default class AllureResultsReporter extends AllureReporter {
  private readonly resultsDir: string;

  constructor(options: Options) {
    super(options);
    this.resultsDir = options.resultsDir ?? './allure-results';
  }

  override onBegin(suite: Suite): void {
    super.onBegin(suite);
    // allure-playwright creates its runtime and writer here; `writer` is a public field of the runtime.
    // Should a later allure-playwright move it, its own writer stays: slower, never wrong.
    const runtime = (this as unknown as { allureRuntime?: { writer?: Writer } }).allureRuntime;
    if (runtime?.writer) runtime.writer = new ResultsWriter(this.resultsDir, runtime.writer);
  }
}

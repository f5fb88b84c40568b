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
import type { Writer } from 'allure-js-commons/sdk/reporter';
import type { Suite } from '@playwright/test/reporter';

/** The per-test files (results, containers, attachments) without fsync; the rare others go to allure's own writer. */
class ResultsWriter implements Writer {
  private made = false;

  constructor(
    private readonly dir: string,
    private readonly allures: Writer,
  ) {}

  writeResult(result: Parameters<Writer['writeResult']>[0]): void {
    this.publish(`${result.uuid}-result.json`, JSON.stringify(result));
  }

  writeGroup(result: Parameters<Writer['writeGroup']>[0]): void {
    this.publish(`${result.uuid}-container.json`, JSON.stringify(result));
  }

  writeAttachment(distFileName: string, content: Buffer): void {
    this.publish(distFileName, content);
  }

  writeAttachmentFromPath(distFileName: string, from: string): void {
    this.allures.writeAttachmentFromPath(distFileName, from);
  }

  writeEnvironmentInfo(info: Parameters<Writer['writeEnvironmentInfo']>[0]): void {
    this.allures.writeEnvironmentInfo(info);
  }

  writeCategoriesDefinitions(categories: Parameters<Writer['writeCategoriesDefinitions']>[0]): void {
    this.allures.writeCategoriesDefinitions(categories);
  }

  writeGlobals(distFileName: string, info: Parameters<Writer['writeGlobals']>[1]): void {
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
    const runtime = (this as unknown as { allureRuntime: { writer: Writer } }).allureRuntime;
    runtime.writer = new ResultsWriter(this.resultsDir, runtime.writer);
  }
}

/**
 * `npm run lint [-- paths…]` — the Kestra flow and Compose linter (helpers/tools/lint).
 * Options: --format stylish|json|sarif|github, --profile project|kestra, --server <url>,
 * --rules-markdown. Exit codes: 0 no errors, 1 errors found, 2 usage or I/O problem.
 * For the fastest start-up use `node helpers/tools/lint/launcher.mjs` (a cached esbuild bundle).
 */
import { run } from '../lint/cli.js';

await run();

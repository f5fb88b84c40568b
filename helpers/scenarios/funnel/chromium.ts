/**
 * Which Chromium the browser tests drive: $CHROMIUM_PATH, else the system Chromium, else the one
 * Playwright may have downloaded itself. Installs never depend on a browser download.
 */
import { existsSync } from 'node:fs';

export const SYSTEM_CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export const CHROMIUM_INSTALL_HINT = 'no Chromium found: install one (Debian: apt-get install -y chromium) or set CHROMIUM_PATH to its executable';

export type ChromiumChoice = { kind: 'path'; path: string; from: 'CHROMIUM_PATH' | 'system' } | { kind: 'playwright-bundled' } | { kind: 'missing'; message: string };

export function resolveChromium(env: NodeJS.ProcessEnv = process.env, exists: (p: string) => boolean = existsSync, bundledPath?: () => string | undefined): ChromiumChoice {
  const fromEnv = env.CHROMIUM_PATH;
  if (fromEnv) {
    if (exists(fromEnv)) return { kind: 'path', path: fromEnv, from: 'CHROMIUM_PATH' };
    return { kind: 'missing', message: `CHROMIUM_PATH points at "${fromEnv}", which does not exist` };
  }
  const system = SYSTEM_CHROMIUM_PATHS.find((p) => exists(p));
  if (system) return { kind: 'path', path: system, from: 'system' };
  const bundled = bundledPath?.();
  if (bundled && exists(bundled)) return { kind: 'playwright-bundled' };
  return { kind: 'missing', message: CHROMIUM_INSTALL_HINT };
}

/** Flags for a headless Chromium on a closed network (background traffic would be refused). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

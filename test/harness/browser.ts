// Debian's Chromium driven by playwright-core, for the tests that must see a page as a browser
// does. Where no Chromium is installed the tests skip with this reason (skipAllIf), so `npm test`
// passes on a machine without one (CI installs it: .ci/run).
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { repoRoot } from './action-yml.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined when they can. */
export const noBrowser: string | undefined = existsSync(CHROMIUM)
  ? undefined
  : `no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`;

/** Headless, sandbox off (CI runs as root), and none of Chromium's own background traffic. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

/** Test output kept for a human to look at (gitignored): screenshots and the pages shown. */
export function outputDir(name: string): string {
  const dir = path.join(repoRoot, '.tmp', 'browser', name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

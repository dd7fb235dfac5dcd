import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's package puts it here; HZCQRS_CHROMIUM names another Chromium or Chrome. */
export const CHROMIUM_PATH = process.env['HZCQRS_CHROMIUM'] ?? '/usr/bin/chromium';

/** Headless Chromium driven by playwright-core: the browser of the machine, none downloaded. */
export const launchChromium = async (): Promise<Browser> => {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: install it (apt-get install chromium) or set HZCQRS_CHROMIUM to its path`);
  }
  // Without a sandbox: test machines run as root, where Chromium refuses to start with one.
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
};

// Launches the machine's Chromium (Debian's package, or CHROME_PATH) through playwright-core.
// Playwright's own browser download is not used: CI machines here reach only package registries.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export function chromiumPath(): string {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((p): p is string => Boolean(p && existsSync(p)));
  if (!found) {
    throw new Error(
      'No Chromium found. Run `npm run setup:tools` (installs Debian chromium) or set CHROME_PATH.',
    );
  }
  return found;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    // Background networking would try hosts this sandbox cannot reach, so it is switched off. The
    // fake media device and UI give getUserMedia a real audio track (a tone) without a prompt, so a
    // page's microphone path runs as it does for a user who allowed it.
    args: [
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

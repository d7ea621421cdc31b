// Driving code-server's workbench from Playwright, shared by the end-to-end scripts.

/** Opens the folder and resolves once the workbench and the Explorer are drawn. */
export async function openWorkbench(page, url) {
  // a bound on a hung start; a busy CI machine has needed more than Playwright's 30 s default
  await page.goto(url, { timeout: 180_000, waitUntil: 'domcontentloaded' });
  await page.locator('.monaco-workbench').waitFor({ timeout: 180_000 });
  await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 180_000 });
}

/**
 * Runs a command through the palette. The palette's list is computed when it opens and does not
 * refresh when the extension registers its commands later, so reopen until the entry is there.
 */
export async function runCommand(page, title) {
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 450 } }).catch(() => {});
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const escaped = title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const row = page.locator('.quick-input-widget .monaco-list-row', {
    has: page.locator('.label-name', { hasText: new RegExp(`^${escaped}$`) }),
  });
  for (let attempt = 0; ; attempt++) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    try {
      await row.first().waitFor({ timeout: 1500 });
      break;
    } catch (e) {
      if (attempt >= 40) throw e;
    }
    await page.keyboard.press('Escape');
  }
  await row.first().click();
}

/** The webview frame that holds a <video> with a source (the player), whichever editor group it opened in. */
export async function waitForPlayer(page, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if ((await frame.locator('video').count().catch(() => 0)) > 0) {
        const src = await frame.locator('video').first().getAttribute('src').catch(() => null);
        if (src || (await frame.locator('video source').count()) > 0) return frame;
      }
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no player webview with a video after ${timeoutMs / 1000}s`);
}

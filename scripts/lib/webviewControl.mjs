// What the integration tests cannot do from the extension host: look into a webview and click in it
// as a user would, and read a view's rows as the workbench draws them. The runner owns the browser page; these run there, in the webview frames that
// hold one of the extension's pages (`main#app`), and are reached through the control endpoint
// (scripts/lib/simulatorHost.mjs, methods prefixed `ui.`).

/** The extension's webview frames whose text contains `marker` (every one when it is empty). */
async function framesWith(page, marker) {
  const found = [];
  for (const frame of page.frames()) {
    try {
      if ((await frame.locator('main#app').count()) === 0) continue;
      const text = await frame.locator('body').innerText({ timeout: 1000 });
      if (!marker || text.includes(marker)) found.push({ frame, text });
    } catch {
      // A frame that went away while being read.
    }
  }
  return found;
}

export function webviewControl(page) {
  return {
    /** The visible text of each row of the side bar view container `containerId` (`workbench.view.extension.sora`), top to bottom. */
    async viewRows(containerId) {
      return page.locator(`[id="${containerId}"] .monaco-list-row`).allInnerTexts();
    },
    /** Each row of view container `containerId` as drawn: its text and its icon's CSS background image (a file icon's URL). */
    async viewRowIcons(containerId) {
      return page.locator(`[id="${containerId}"] .monaco-list-row`).evaluateAll((rows) =>
        rows.map((row) => {
          const icon = row.querySelector('.custom-view-tree-node-item-icon');
          return { text: row.innerText, icon: icon ? getComputedStyle(icon).backgroundImage : '' };
        }),
      );
    },
    /**
     * Right-clicks the first row of view container `containerId` whose text contains `rowText` and picks
     * `item` from its context menu, as a user would; false when the row or the item is not there (yet).
     */
    async viewRowMenu(containerId, rowText, item) {
      const row = page.locator(`[id="${containerId}"] .monaco-list-row`, { hasText: rowText }).first();
      if ((await row.count()) === 0) return false;
      await row.click({ button: 'right', timeout: 5000 });
      const entry = page.locator('.monaco-menu .action-item:not(.disabled) .action-label', { hasText: item }).first();
      try {
        await entry.waitFor({ state: 'visible', timeout: 3000 });
      } catch {
        await page.keyboard.press('Escape');
        return false;
      }
      // A scripted click right after the menu opened was lost now and then (the menu guards against the
      // right-click's own release): point at the item, as a hand would, and take it with Enter.
      await entry.hover({ timeout: 5000 });
      await page.keyboard.press('Enter');
      return true;
    },
    /**
     * Answers the workbench's quick input (the simple file dialog code-server shows for a save dialog):
     * types `value` over what it holds, when given, and takes it with OK (or Enter). True once the quick
     * input has closed on it; false while none is open, or when it did not take the answer, so the caller
     * asks again.
     */
    async quickInput(value) {
      const widget = page.locator('.quick-input-widget');
      const box = widget.locator('.quick-input-box input');
      if (!(await box.isVisible())) return false;
      if (value !== undefined) {
        await box.fill(value, { timeout: 5000 });
        // The file dialog lists the typed folder before it takes the path: wait until it shows it.
        await page.waitForTimeout(500);
        // Opening, the dialog writes its own default name once it has listed its folder, which can land
        // after our text.
        if ((await box.inputValue()) !== value) return false;
      }
      const ok = widget.getByRole('button', { name: 'OK', exact: true });
      if (await ok.isVisible()) await ok.click({ timeout: 5000 });
      else await box.press('Enter', { timeout: 5000 });
      // A dialog still busy listing its folder ignores the OK and stays open.
      try {
        await widget.waitFor({ state: 'hidden', timeout: 3000 });
        return true;
      } catch {
        return false;
      }
    },
    /** The visible text of each matching webview page. */
    async text(marker = '') {
      return (await framesWith(page, marker)).map((f) => f.text);
    },
    /** Clicks the `nth` button named `label` in the first page containing `marker` that has one; false if none. */
    async click(marker, label, nth = 0) {
      for (const { frame } of await framesWith(page, marker)) {
        const buttons = frame.getByRole('button', { name: label, exact: true });
        if ((await buttons.count()) <= nth) continue;
        await buttons.nth(nth).click({ timeout: 5000 });
        return true;
      }
      return false;
    },
    /** Types `value` into the field labelled `label` in the first page containing `marker` that has one, as a user would; false if none. */
    async fill(marker, label, value) {
      for (const { frame } of await framesWith(page, marker)) {
        const field = frame.getByLabel(label, { exact: true });
        if ((await field.count()) === 0) continue;
        await field.first().fill(String(value), { timeout: 5000 });
        return true;
      }
      return false;
    },
    /** The state of every <video> in the first page containing `marker`, read from the DOM. */
    async videos(marker) {
      const [first] = await framesWith(page, marker);
      if (!first) return null;
      return first.frame.locator('video').evaluateAll((els) =>
        els.map((v) => ({ src: v.currentSrc || v.src, paused: v.paused, time: v.currentTime, duration: v.duration, readyState: v.readyState, muted: v.muted, error: v.error?.message ?? null })),
      );
    },
  };
}

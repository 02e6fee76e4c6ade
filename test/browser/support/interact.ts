import type { Locator, Page, Response } from 'playwright-core';

/**
 * Runs `action` (a click, a key press) and waits until the page it leads to has loaded; returns
 * that page's response (after any redirects). Works with JavaScript on or off.
 */
export async function navigation(page: Page, action: () => Promise<unknown>): Promise<Response> {
  const isMain = (response: Response) =>
    response.request().isNavigationRequest() && response.request().frame() === page.mainFrame();
  const landed = page.waitForResponse((r) => isMain(r) && (r.status() < 300 || r.status() >= 400));
  const committed = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() });
  try {
    await action();
  } catch (error) {
    // Nothing will navigate now; keep the waits from surfacing later as unhandled rejections.
    landed.catch(() => {});
    committed.catch(() => {});
    throw error;
  }
  const [response] = await Promise.all([landed, committed]);
  await page.waitForLoadState('load');
  return response;
}

/** Whether `locator` has the keyboard focus. */
export function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element === element.ownerDocument.activeElement);
}

/**
 * Presses Tab until `locator` has the focus, as a keyboard user would, and fails if it never does
 * (the control is not in the tab order).
 */
export async function tabTo(page: Page, locator: Locator, maxPresses = 80): Promise<void> {
  await locator.waitFor({ state: 'attached' });
  for (let presses = 0; presses <= maxPresses; presses++) {
    if (await isFocused(locator)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${String(locator)} could not be reached with the Tab key (${maxPresses} presses)`);
}

export type InputMode = 'pointer' | 'keyboard';

/** How a person operates the page: with a mouse, or with the keyboard alone (Tab, typing, Enter). */
export interface Driver {
  mode: InputMode;
  /** Types `value` into a field (replacing what is there). */
  fill(locator: Locator, value: string): Promise<void>;
  /** Activates a link or button. Wrap in `navigation()` when it loads a page. */
  activate(locator: Locator): Promise<void>;
}

export function driverFor(page: Page, mode: InputMode): Driver {
  if (mode === 'pointer') {
    return {
      mode,
      fill: (locator, value) => locator.fill(value),
      activate: (locator) => locator.click(),
    };
  }
  return {
    mode,
    async fill(locator, value) {
      await tabTo(page, locator);
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.press('Delete');
      await page.keyboard.type(value);
    },
    async activate(locator) {
      await tabTo(page, locator);
      await page.keyboard.press('Enter');
    },
  };
}

import { AxeBuilder } from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';

/** WCAG 2.1 level A and AA, the bar in PRODUCT.md. */
export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21aa'];

/**
 * Runs axe on the page as it is now and describes each violation (rule, help, elements), or
 * returns none. No rule is disabled and no element excluded: a finding is fixed in the template.
 *
 * Pages without frames (all of Trillium's today) are checked in axe's "legacy mode", which runs
 * the same rules in the page itself instead of opening a helper page to combine per-frame results;
 * it only differs for frames, and halves the time of the sweep. A page with frames gets the
 * standard mode.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  // Only violations are read, so axe need not collect every passing element (the same rules run).
  // `options()` replaces all options, so it comes before `withTags()`.
  const builder = new AxeBuilder({ page }).options({ resultTypes: ['violations'] }).withTags(wcagTags);
  if (page.frames().length === 1) builder.setLegacyMode(true);
  const result = await builder.analyze();
  return result.violations.map(
    (v) =>
      `${v.id} (${v.impact ?? 'unknown'}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}\n      ${n.failureSummary?.replace(/\n/g, '\n      ') ?? ''}`).join('\n')}`,
  );
}

/**
 * Runs axe on what `page` shows now, also when `page` runs with JavaScript off, where axe (itself
 * a script) cannot run: the page's markup is then loaded, at the same address, into a page of
 * `checker`, a context with JavaScript on, and checked there (the server sends the same markup
 * either way). So a journey made without JavaScript checks every page it reaches, including the
 * answer to a form, which cannot be fetched again.
 */
export async function axeViolationsOf(page: Page, checker: BrowserContext): Promise<string[]> {
  const url = page.url().split('#')[0]!;
  const html = await page.content();
  const copy = await checker.newPage();
  try {
    await copy.route(
      (address) => address.href === url,
      (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
      { times: 1 },
    );
    await copy.goto(url);
    return await axeViolations(copy);
  } finally {
    await copy.close();
  }
}

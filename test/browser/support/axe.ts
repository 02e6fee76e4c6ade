import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

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

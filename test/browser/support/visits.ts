import type { Page, Response } from 'playwright-core';
import type { ActorName, Fixture } from './fixture.js';
import { navigation } from './interact.js';

/**
 * The shape of a row of the accessibility sweep's plan (pages.ts, pages-catalogue.ts) and the
 * actions that bring a page into the state to check: a form sent empty or wrong, a search.
 */

/** Something done on the page before it is checked; it loads the page to check and returns its response. */
export type Act = (page: Page, fixture: Fixture) => Promise<Response>;

export interface Visit {
  /** Who looks at the page. */
  as: ActorName;
  /** The path after `/en` or `/fr`, with real parameters. */
  path: (fixture: Fixture) => string;
  /** What state this visit shows, for messages. */
  state: string;
  act?: Act;
  /** Status of the page that is checked (default 200). */
  status?: number;
  /** Whether the checked page must show an error summary (forms sent empty or wrong). */
  errorSummary?: boolean;
  /**
   * The address answers a file, or a redirect to one, not a page: it is fetched without following
   * redirects, and its status is checked, and that it is not HTML (axe has no page to check).
   */
  file?: boolean;
}

export const shown = 'as first shown';
export const sentEmpty = 'form sent empty';

/**
 * The form whose `action` attribute ends with `action` (so a page with several forms is
 * unambiguous); an `action` with `?` matches forms that post back to the page's own URL.
 */
function form(page: Page, action: string) {
  const selector = action.endsWith('?') ? `[action*="${action}"]` : `[action$="${action}"]`;
  return page.locator(`main form[method="post"]${selector}`).first();
}

/**
 * Empties a form (clears its text fields, unticks its boxes) and sends it with its button, like
 * someone pressing the button without filling it in. The emptying is done in one step in the page
 * (the sweep runs with JavaScript on); typing into forms is what journeys.test.ts does.
 */
export function submitEmpty(action: string): Act {
  return async (page) => {
    const target = form(page, action);
    await target.evaluate((element) => {
      for (const field of element.querySelectorAll('input:not([type=hidden]), textarea')) {
        if (field.type === 'checkbox') field.checked = false;
        else if (field.type !== 'radio') field.value = '';
      }
    });
    return navigation(page, () => target.locator('button[type=submit]').first().click());
  };
}

/** Fills fields (by CSS selector) of a form and sends it. */
export function submitWith(action: string, fields: Record<string, string> = {}): Act {
  return async (page) => {
    const target = form(page, action);
    for (const [selector, value] of Object.entries(fields)) await target.locator(selector).fill(value);
    return navigation(page, () => target.locator('button[type=submit]').first().click());
  };
}

/**
 * Gives a field of a form a value the page does not offer (a used or forged token in a hidden
 * field, a choice missing from a select) and sends it.
 */
export function submitForged(action: string, name: string, value: string): Act {
  return async (page) => {
    const target = form(page, action);
    await target
      .locator(`input[type=hidden][name="${name}"], select[name="${name}"]`)
      .evaluate((field, v) => {
        if (field.tagName !== 'SELECT') return field.setAttribute('value', v);
        const option = field.ownerDocument.createElement('option');
        option.setAttribute('value', v);
        option.setAttribute('selected', '');
        field.replaceChildren(option);
      }, value);
    return navigation(page, () => target.locator('button[type=submit]').first().click());
  };
}

/** Sends a GET form (search, filters) with the given values. */
export function search(fields: Record<string, string>, button: RegExp): Act {
  return async (page) => {
    for (const [selector, value] of Object.entries(fields)) await page.locator(selector).fill(value);
    return navigation(page, () => page.locator('main').getByRole('button', { name: button }).first().click());
  };
}

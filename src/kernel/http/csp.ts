/** The Content Security Policy: no inline code except what carries a page's nonce. */
export const cspDirectives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'none'"],
  'object-src': ["'none'"],
};

/** The policy with a nonce allowed for scripts and styles. */
export function cspWithNonce(nonce: string): string {
  return Object.entries(cspDirectives)
    .map(([name, values]) => `${name} ${[...values, ...(name === 'script-src' || name === 'style-src' ? [`'nonce-${nonce}'`] : [])].join(' ')}`)
    .join(';');
}

/**
 * Typed option builders. Each builder turns the raw environment string into a value or throws a
 * plain-language reason; `loadConfig` collects every reason so an operator sees all bad keys at once.
 */
export interface Option<T> {
  /** Environment variable that sets this option. */
  env: string;
  description: string;
  /** Human-readable type for the reference docs. */
  type: string;
  /** Default value, or a function of the options parsed so far (declaration order). */
  default?: T | ((values: Record<string, unknown>) => T);
  /** Shown in the docs instead of the computed default. */
  defaultDoc?: string;
  /** Secrets are never printed (config check, logs, docs). */
  secret?: boolean;
  parse(raw: string): T;
}

type Base<T> = Omit<Option<T>, 'parse' | 'type'>;

export function string(o: Base<string> & { minLength?: number }): Option<string> {
  return {
    ...o,
    type: 'string',
    parse(raw) {
      if (o.minLength && raw.length < o.minLength) throw new Error(`must be at least ${o.minLength} characters`);
      return raw;
    },
  };
}

export function optionalString(o: Base<string | undefined>): Option<string | undefined> {
  return { ...o, type: 'string (optional)', parse: (raw) => (raw === '' ? undefined : raw) };
}

export function integer(o: Base<number> & { min: number; max: number }): Option<number> {
  return {
    ...o,
    type: `integer ${o.min}–${o.max}`,
    parse(raw) {
      if (!/^-?\d+$/.test(raw.trim())) throw new Error(`must be a whole number (got "${raw}")`);
      const n = Number(raw);
      if (n < o.min || n > o.max) throw new Error(`must be between ${o.min} and ${o.max} (got ${n})`);
      return n;
    },
  };
}

export function boolean(o: Base<boolean>): Option<boolean> {
  return {
    ...o,
    type: 'boolean (true/false)',
    parse(raw) {
      const v = raw.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(v)) return true;
      if (['false', '0', 'no', 'off'].includes(v)) return false;
      throw new Error(`must be true or false (got "${raw}")`);
    },
  };
}

export function oneOf<const T extends string>(values: readonly T[], o: Base<T>): Option<T> {
  return {
    ...o,
    type: values.map((v) => `\`${v}\``).join(' \\| '),
    parse(raw) {
      if (!(values as readonly string[]).includes(raw)) {
        throw new Error(`must be one of ${values.join(', ')} (got "${raw}")`);
      }
      return raw as T;
    },
  };
}

export function url(o: Base<string> & { protocols: string[] }): Option<string> {
  return {
    ...o,
    type: `URL (${o.protocols.join(', ')})`,
    parse(raw) {
      let parsed: URL;
      try {
        parsed = new URL(raw);
      } catch {
        throw new Error(`must be a URL (got "${redact(raw)}")`);
      }
      if (!o.protocols.includes(parsed.protocol.replace(/:$/, ''))) {
        throw new Error(`must start with ${o.protocols.map((p) => `${p}://`).join(' or ')}`);
      }
      return raw.replace(/\/+$/, '');
    },
  };
}

export function optionalUrl(o: Base<string | undefined> & { protocols: string[] }): Option<string | undefined> {
  const inner = url({ ...o, default: undefined } as Base<string> & { protocols: string[] });
  return { ...o, type: `${inner.type} (optional)`, parse: (raw) => (raw === '' ? undefined : inner.parse(raw)) };
}

export function colour(o: Base<string>): Option<string> {
  return {
    ...o,
    type: 'hex colour (#rrggbb)',
    parse(raw) {
      if (!/^#[0-9a-fA-F]{6}$/.test(raw)) throw new Error(`must be a colour like #1d4f5c (got "${raw}")`);
      if (contrastWithWhite(raw) < 4.5) {
        throw new Error(`must have a contrast of at least 4.5:1 with white text (WCAG AA); ${raw} has ${contrastWithWhite(raw).toFixed(2)}:1`);
      }
      return raw.toLowerCase();
    },
  };
}

/** WCAG 2.1 contrast ratio of a hex colour against white. */
export function contrastWithWhite(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return 1.05 / (luminance + 0.05);
}

/** Hide credentials in a URL-ish string before it is shown to anyone. */
export function redact(raw: string): string {
  return raw.replace(/\/\/([^:/@]+):([^@]*)@/, '//$1:***@');
}

/**
 * Finds and removes personal information in free text written by the public (feedback comments,
 * consultation answers), in English and French, before it is stored in places many people read.
 *
 * The goal is privacy: a missed e-mail address or SIN is worse than an over-scrubbed number, but
 * the ordinary numbers of public comments (years, dates, amounts, percentages, times, reference
 * and version numbers) must survive. What keeps them intact is the *shape* of each pattern —
 * digit groups, whole-number edges, no currency sign or decimals next to it — not a checksum.
 *
 * No Luhn check (cards) and no SIN checksum: a mistyped or deliberately partial card number or
 * SIN still identifies a person, and a checksum would only drop the look-alikes at random
 * (9 in 10 of them), which lowers privacy without protecting any ordinary number on purpose.
 */

export type PersonalInformationKind = 'email' | 'phone' | 'postal_code' | 'sin' | 'card';

export interface PersonalInformationMatch {
  kind: PersonalInformationKind;
  start: number;
  end: number;
  text: string;
}

// Spaces people put between digit groups: French typography uses NBSP (U+00A0) and narrow NBSP
// (U+202F) as thousands separators, and word processors insert them by themselves.
const SPACE = String.raw`[ \u00A0\u202F]`;
// Separators between the digit groups of cards and SINs ("single spaces or hyphens").
const GROUP_SEP = String.raw`[\- \u00A0\u202F]`;
// Phones are also written with dots (416.555.0199).
const PHONE_SEP = String.raw`[\-. \u00A0\u202F]`;

// Not glued to a word ("A1B2C3D" is not a postal code); applied on both sides of postal codes.
const WORD_START = String.raw`(?<![\p{L}\p{N}_])`;
const WORD_END = String.raw`(?![\p{L}\p{N}_])`;
// A whole number: not glued to a word, not the decimals or parts of a version number
// (12.416555019), and not an amount (a currency sign on either side, or a percentage after).
const NUMBER_START = String.raw`(?<![\p{L}\p{N}_]|\p{N}[.,]|\p{Sc}${SPACE}?)`;
const NUMBER_END = String.raw`(?![\p{L}\p{N}_]|[.,]\p{N}|${SPACE}?[\p{Sc}%‰])`;

interface Detector {
  kind: PersonalInformationKind;
  pattern: RegExp;
  /** A last check on the matched text, for what a regular expression says poorly. */
  accept?: (text: string) => boolean;
}

// Listed most specific first: when two matches of the same length overlap, the earlier kind wins.
const DETECTORS: readonly Detector[] = [
  {
    // Practical e-mail addresses: letters of any script, plus-addressing, subdomains. The
    // look-behind makes a run of letters be tried once rather than from every position in it.
    kind: 'email',
    pattern: new RegExp(
      String.raw`(?<![\p{L}\p{N}._%+\-])(?<local>[\p{L}\p{N}_%+\-][\p{L}\p{N}._%+\-]*)` +
        String.raw`@(?<domain>(?:[\p{L}\p{N}](?:[\p{L}\p{N}\-]*[\p{L}\p{N}])?\.)+\p{L}{2,})`,
      'gu',
    ),
  },
  {
    // Card-like: 13 digits or more (cards have 13–19), unbroken or in groups of at least four
    // (4-4-4-4, Amex 4-6-5) with perhaps a shorter last group. Groups of three are left alone: they
    // are how amounts are written ("1 500 000 000 000 $"). Longer runs are scrubbed too: a card
    // number followed by its expiry date ("4111 1111 1111 1111 1226") is no less private.
    kind: 'card',
    pattern: new RegExp(
      NUMBER_START +
        String.raw`(?<digits>\d{13,}|\d{4,}(?:${GROUP_SEP}\d{4,})+(?:${GROUP_SEP}\d{1,3})?)` +
        NUMBER_END,
      'gu',
    ),
    accept: (text) => text.replace(/\D/g, '').length >= 13,
  },
  {
    // SIN-like: nine digits, 3-3-3 with the same separator twice, or unbroken. A 3-3-3 run that
    // continues with more space-separated digits is a large number with French thousands
    // separators ("1 234 567 890 habitants"), not a SIN.
    kind: 'sin',
    pattern: new RegExp(
      String.raw`(?<!\d${SPACE})` +
        NUMBER_START +
        String.raw`\d{3}(?<sep>${GROUP_SEP}?)\d{3}\k<sep>\d{3}` +
        String.raw`(?!${SPACE}\d)` +
        NUMBER_END,
      'gu',
    ),
  },
  {
    // North American numbers: optional +1 / 1, an area code (perhaps in brackets) starting with
    // 2–9 as in the NANP (which keeps Unix timestamps and "1234567890" out), then an optional
    // extension in English or French ("ext. 123", "x123", "poste 123"), kept in the match.
    kind: 'phone',
    pattern: new RegExp(
      NUMBER_START +
        String.raw`(?<country>\+?1${PHONE_SEP}?)?` +
        String.raw`(?<area>\([2-9]\d{2}\)|[2-9]\d{2})${PHONE_SEP}?` +
        String.raw`(?<exchange>\d{3})${PHONE_SEP}?(?<line>\d{4})` +
        String.raw`(?<extension>${SPACE}*,?${SPACE}*(?:ext\.?|extension|poste|x)${SPACE}*\d{1,6})?` +
        NUMBER_END,
      'giu',
    ),
  },
  {
    // Canadian postal codes (A1A 1A1): no D, F, I, O, Q or U anywhere, no W or Z first; a space,
    // a hyphen or nothing in the middle; any case.
    kind: 'postal_code',
    pattern: new RegExp(
      WORD_START +
        String.raw`(?<fsa>[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z])${GROUP_SEP}?(?<ldu>\d[ABCEGHJ-NPRSTV-Z]\d)` +
        WORD_END,
      'giu',
    ),
  },
];

/**
 * Every piece of personal information in `text`, in order of position and non-overlapping: where
 * candidates overlap, the longest wins (an e-mail address holding digits stays an e-mail address,
 * a 16-digit card is not a phone number plus six digits).
 */
export function findPersonalInformation(text: string): PersonalInformationMatch[] {
  const candidates = DETECTORS.flatMap((detector, priority) =>
    [...text.matchAll(detector.pattern)]
      .filter((m) => detector.accept?.(m[0]) ?? true)
      .map((m) => ({
        kind: detector.kind,
        start: m.index,
        end: m.index + m[0].length,
        text: m[0],
        priority,
      })),
  );
  candidates.sort(
    (a, b) => b.end - b.start - (a.end - a.start) || a.priority - b.priority || a.start - b.start,
  );

  // Characters already claimed by a longer match; linear in the text, however many matches.
  const taken = new Uint8Array(text.length);
  const chosen: PersonalInformationMatch[] = [];
  for (const { priority: _priority, ...candidate } of candidates) {
    if (!taken.subarray(candidate.start, candidate.end).includes(1)) {
      taken.fill(1, candidate.start, candidate.end);
      chosen.push(candidate);
    }
  }
  return chosen.sort((a, b) => a.start - b.start);
}

/**
 * `text` with every piece of personal information replaced by `replacement`, and the kinds found
 * (each once, in order of first appearance) so callers can record what was removed.
 */
export function scrubPersonalInformation(
  text: string,
  replacement = '###',
): { text: string; kinds: PersonalInformationKind[] } {
  const matches = findPersonalInformation(text);
  let scrubbed = '';
  let position = 0;
  for (const match of matches) {
    scrubbed += text.slice(position, match.start) + replacement;
    position = match.end;
  }
  scrubbed += text.slice(position);
  return { text: scrubbed, kinds: [...new Set(matches.map((m) => m.kind))] };
}

import { Transform } from 'node:stream';

/** Encodings the loader reads. Anything that is not valid UTF-8 is read as Windows-1252 (a superset of Latin-1 for text). */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/**
 * Decides a file's encoding from its first bytes: a byte-order mark if there is one, else UTF-8
 * when the sample decodes as UTF-8, else Windows-1252 (older government CSVs are often Latin-1).
 * `complete` says the sample is the whole file.
 */
export function detectEncoding(head: Buffer, complete = false): { encoding: TextEncoding; bom: boolean } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bom: true };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: true };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: true };
  try {
    // When the sample is only the start of the file, a multi-byte character may be cut at its end
    // (`stream` accepts an incomplete last character, never an invalid one).
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: !complete });
    return { encoding: 'utf-8', bom: false };
  } catch {
    return { encoding: 'windows-1252', bom: false };
  }
}

/** Decodes a byte stream to text (streamed; a character split across chunks is kept whole). The BOM is dropped. */
export function decoder(encoding: TextEncoding): Transform {
  const text = new TextDecoder(encoding);
  return new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _encoding, callback) {
      callback(null, text.decode(chunk, { stream: true }));
    },
    flush(callback) {
      callback(null, text.decode());
    },
  });
}

export const delimiters = [',', ';', '\t', '|'] as const;

/** How many times `delimiter` occurs outside quotes on each of the first lines of `sample`. */
function countsPerLine(sample: string, delimiter: string): number[] {
  const counts: number[] = [];
  let count = 0;
  let quoted = false;
  for (let i = 0; i < sample.length && counts.length < 50; i++) {
    const c = sample[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === delimiter) count++;
    else if (!quoted && c === '\n') {
      counts.push(count);
      count = 0;
    }
  }
  // A one-line sample (a header only) still counts.
  if (!counts.length && count) counts.push(count);
  return counts;
}

/**
 * The delimiter of a CSV sample (comma, semicolon, tab or pipe): the one that splits the most
 * lines into the same number of cells, and more cells when two are as regular. A tab-separated
 * format hint wins when tabs split the header.
 */
export function detectDelimiter(sample: string, formatHint = ''): string {
  const text = sample.replace(/\r\n?/g, '\n');
  if (/^(TSV|TAB)$/i.test(formatHint) && countsPerLine(text, '\t')[0]) return '\t';
  let best = { delimiter: ',', score: -1 };
  for (const delimiter of delimiters) {
    const counts = countsPerLine(text, delimiter);
    if (!counts.length || !counts[0]) continue;
    const header = counts[0];
    const regular = counts.filter((c) => c === header).length / counts.length;
    const score = regular * 1000 + Math.min(header, 999);
    if (score > best.score) best = { delimiter, score };
  }
  return best.delimiter;
}

import { describe, expect, it } from 'vitest';
import { columnNames } from '../datastore/headers.js';
import { inferSchema } from '../datastore/infer.js';
import { chooseIndexes } from '../datastore/loader.js';
import { ReportBuilder } from '../datastore/report.js';
import { detectDelimiter, detectEncoding } from '../datastore/sniff.js';
import { checkStatement } from '../datastore/sql-search.js';
import { castCell } from '../datastore/types.js';

describe('datastore sniffing, inference and checks', () => {
  it('detects encodings from byte-order marks and invalid UTF-8', () => {
    expect(detectEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x61]))).toEqual({ encoding: 'utf-8', bom: true });
    expect(detectEncoding(Buffer.from('café', 'utf8'))).toEqual({ encoding: 'utf-8', bom: false });
    expect(detectEncoding(Buffer.from('café', 'latin1'), true)).toEqual({
      encoding: 'windows-1252',
      bom: false,
    });
    // A character cut at the end of the sample is still UTF-8.
    expect(detectEncoding(Buffer.from('caf\u00e9', 'utf8').subarray(0, 4))).toEqual({
      encoding: 'utf-8',
      bom: false,
    });
  });

  it('detects the delimiter, ignoring delimiters inside quotes', () => {
    expect(detectDelimiter('a,b,c\n1,2,3\n')).toBe(',');
    expect(detectDelimiter('a;b;c\n"1,5";2;3\n"x,y";2;3\n')).toBe(';');
    expect(detectDelimiter('a\tb\n1\t2\n')).toBe('\t');
    expect(detectDelimiter('a|b|c\n1|2|3\n')).toBe('|');
    expect(detectDelimiter('a,b\tc\n1,2\t3\n', 'TSV')).toBe('\t');
    expect(detectDelimiter('only')).toBe(',');
  });

  it('casts cells strictly (real calendar dates, offsets to UTC)', () => {
    expect(castCell('date', '2024-02-29')).toBe('2024-02-29');
    expect(castCell('date', '2023-02-29')).toBeUndefined();
    expect(castCell('datetime', '2021-07-08T10:00:00-04:00')).toBe('2021-07-08 14:00:00.000');
    expect(castCell('integer', '+12')).toBe('12');
    expect(castCell('integer', '1.5')).toBeUndefined();
    expect(castCell('boolean', 'Yes')).toBe('t');
    expect(castCell('number', '1,5')).toBeUndefined();
  });

  it('infers types from a sample and keeps a wider earlier type', () => {
    const { schema, stats } = inferSchema(
      ['id', 'zip', 'flag'],
      [
        ['1', '01234', 'yes'],
        ['2', '', 'no'],
        ['3', '99999', 'NA'],
      ],
    );
    expect(schema.fields.map((f) => f.type)).toEqual(['integer', 'string', 'boolean']);
    expect(stats[0]).toEqual({ values: 3, distinct: 3, maxLength: 1 });
    const again = inferSchema(['id'], [['1'], ['2']], {
      fields: [{ name: 'id', type: 'string', title: 'Identifier' }],
    });
    expect(again.schema.fields[0]).toEqual({ name: 'id', type: 'string', title: 'Identifier' });
    const narrower = inferSchema(['id'], [['a'], ['b']], { fields: [{ name: 'id', type: 'integer' }] });
    expect(narrower.schema.fields[0]!.type).toBe('string');
  });

  it('names blank, repeated and reserved headers', () => {
    const report = new ReportBuilder();
    expect(columnNames([' a ', '', 'A', '_full_text', 'x'.repeat(80)], report)).toEqual([
      'a',
      'field_2',
      'A_2',
      '_full_text_2',
      'x'.repeat(63),
    ]);
    expect(report.build(0).valid).toBe(false);
  });

  it('chooses indexes: key, dates, then low-cardinality short columns, at most 20', () => {
    const fields = [
      { name: 'id', type: 'integer' },
      { name: 'day', type: 'date' },
      { name: 'region', type: 'string' },
      { name: 'comment', type: 'string' },
      { name: 'flag', type: 'boolean' },
    ];
    const stats = [
      { values: 100, distinct: 100, maxLength: 3 },
      { values: 100, distinct: 30, maxLength: 10 },
      { values: 100, distinct: 5, maxLength: 10 },
      { values: 100, distinct: 90, maxLength: 500 },
      { values: 100, distinct: 2, maxLength: 5 },
    ];
    const plan = {
      names: fields.map((f) => f.name),
      schema: { fields, primaryKey: ['id'] },
      stats,
      standard: null,
    };
    expect(chooseIndexes(plan, false)).toEqual([
      { columns: ['id'], unique: true },
      { columns: ['day'] },
      { columns: ['region'] },
    ]);
    expect(chooseIndexes(plan, true)[0]).toEqual({ columns: ['id'] });
  });

  it('refuses SQL that is not one SELECT, or calls dangerous functions, before it reaches the database', () => {
    expect(checkStatement('select 1;')).toBe('select 1');
    expect(checkStatement("select ';' as x -- ; drop\n")).toBe("select ';' as x -- ; drop");
    expect(checkStatement('select $$a;b$$')).toBe('select $$a;b$$');
    for (const [text, rule] of [
      ['select 1; select 2', 'single'],
      ['delete from t', 'select'],
      ['select pg_catalog.pg_sleep(1)', 'function'],
      ["select lo_import('/etc/passwd')", 'function'],
      ['select (1', 'syntax'],
      ['select 1 /* open', 'syntax'],
      ["select 'open", 'syntax'],
    ]) {
      expect(() => checkStatement(text), text).toThrow(
        expect.objectContaining({ fields: [expect.objectContaining({ field: 'sql', rule })] }),
      );
    }
  });
});

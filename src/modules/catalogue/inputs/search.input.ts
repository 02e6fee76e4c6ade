import { Type } from 'typebox';
import { accessLevels } from '../schema.js';
import { sorts } from '../data/search.js';

const list = Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 20 }));

/** The search page's and search API's query string. Facet filters may repeat. */
export const searchQuerySchema = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 500 })),
  organization: list,
  group: list,
  keyword: list,
  format: list,
  licence: list,
  access: Type.Optional(Type.Array(Type.Enum([...accessLevels]), { maxItems: 3 })),
  sort: Type.Optional(Type.Enum([...sorts])),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  drafts: Type.Optional(Type.Boolean()),
  /** A confirmation to show (after a dataset is deleted). */
  notice: Type.Optional(Type.String({ maxLength: 40 })),
});

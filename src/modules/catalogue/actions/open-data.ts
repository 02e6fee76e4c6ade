import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ActionContext } from '../../../kernel/audit/index.js';
import type { Bilingual } from '../../../kernel/i18n/index.js';
import { resourcesOf } from '../data/resources.js';
import type { CatalogueDeps } from './datasets.js';
import { addResource, editResource } from './resources.js';

/** A file another module publishes as a resource of its open dataset. */
export interface OpenDataFile {
  /** Stable file name: a resource with the same file name is replaced. */
  fileName: string;
  name: Required<Bilingual>;
  description: Required<Bilingual>;
  format: 'CSV' | 'JSON';
  content: string | Buffer;
}

const mediaTypes = { CSV: 'text/csv', JSON: 'application/json' } as const;

/**
 * Adds the file to the dataset, or replaces the resource with the same file name when the content
 * changed (same SHA-256: nothing to do). Returns whether anything changed.
 */
export async function putFileResource(deps: CatalogueDeps, ctx: ActionContext, datasetId: string, file: OpenDataFile): Promise<boolean> {
  const { kernel } = deps;
  const content = typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content;
  const sha256 = createHash('sha256').update(content).digest('hex');
  const current = (await resourcesOf(kernel.database.db, datasetId)).find((r) => r.fileName === file.fileName);
  if (current?.sha256 === sha256) return false;
  const mediaType = mediaTypes[file.format];
  const stored = await kernel.files.save(Readable.from([content]), { field: 'file', declaredType: mediaType, allowedTypes: [mediaType], maxBytes: kernel.config.uploadMaxBytes });
  const description = {
    kind: 'upload',
    nameEn: file.name.en,
    nameFr: file.name.fr,
    descriptionEn: file.description.en,
    descriptionFr: file.description.fr,
    format: file.format,
  };
  const upload = { ...stored, fileName: file.fileName };
  try {
    // Replacing the file removes the previous one once the change is saved.
    if (current) await editResource(deps, ctx, datasetId, current.id, description, upload);
    else await addResource(deps, ctx, datasetId, description, upload);
  } catch (error) {
    await kernel.files.remove(stored.key);
    throw error;
  }
  return true;
}

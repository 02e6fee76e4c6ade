import type { Database, Db } from '../db/index.js';
import { manySubjects, record, type ActionContext } from './index.js';

export interface PersonalDataRead<T> {
  /** Why the data is read: a message key shown to the person, e.g. `identity.purpose.membership`. */
  purpose: string;
  /** Which fields are read, recorded with each entry. */
  fields: string[];
  /** The audit action name, from the module's catalogue (e.g. `identity.personal_data.read`). */
  action: string;
  organizationId?: string | null;
  /** Reads the data (inside the same transaction as the audit entries). */
  read: (tx: Db) => Promise<T>;
  /** The accounts whose data the result holds. */
  subjects: (result: T) => string[];
}

/**
 * The one door to personal data (architecture rule 7): reads it under a stated purpose and records,
 * in the same transaction, who read whose data and why, which each person can see on their
 * activity page. Reading one's own data is not recorded.
 *
 * One read makes one entry: about the person (`subjectId`) when it is one person's data, or, for a
 * list (members, accounts), one entry naming every person in `details.subjects` (`targetType`
 * "accounts"), so a page of 25 accounts is one line in the log, not 25. `listEntries` finds both
 * kinds for a person.
 */
export async function readPersonalData<T>(database: Database, ctx: ActionContext, request: PersonalDataRead<T>): Promise<T> {
  if (!request.purpose.trim()) throw new Error('Reading personal data needs a purpose');
  return database.transaction(async (tx) => {
    const result = await request.read(tx);
    const subjects = [...new Set(request.subjects(result))].filter((id) => id !== ctx.actor.accountId);
    if (subjects.length === 1) {
      const subjectId = subjects[0]!;
      await record(tx, ctx, {
        action: request.action,
        organizationId: request.organizationId ?? null,
        targetType: 'account',
        targetId: subjectId,
        subjectId,
        purpose: request.purpose,
        details: { fields: request.fields },
      });
    } else if (subjects.length > 1) {
      await record(tx, ctx, {
        action: request.action,
        organizationId: request.organizationId ?? null,
        targetType: manySubjects,
        subjectId: null,
        purpose: request.purpose,
        details: { fields: request.fields, subjects },
      });
    }
    return result;
  });
}

import type { ActionContext, AuditEvent } from '../../../kernel/audit/index.js';
import { record } from '../../../kernel/audit/index.js';
import type { Locale } from '../../../kernel/i18n/index.js';
import { feedbackSince } from '../data/feedback.js';
import { servicesByIds } from '../data/services.js';
import type { ServicesDeps } from './deps.js';
import { digestPurpose } from './publishing.js';

const week = 7 * 24 * 3600 * 1000;
/** Comments quoted in a digest at most (the inbox has the rest). */
const quoted = 5;

/**
 * Emails each service team (the owning organization's editors and administrators) a digest of the
 * past week's feedback: how many responses, the satisfaction split, and the latest comments, with a
 * link to the inbox. Services without new feedback send nothing.
 */
export async function sendWeeklyDigest(deps: ServicesDeps, ctx: ActionContext, now = new Date()): Promise<{ services: number; emails: number }> {
  const db = deps.kernel.database.db;
  const recent = await feedbackSince(db, new Date(now.getTime() - week));
  const byService = new Map<string, typeof recent>();
  for (const f of recent) byService.set(f.serviceId, [...(byService.get(f.serviceId) ?? []), f]);
  const services = await servicesByIds(db, [...byService.keys()]);
  let emails = 0;
  for (const service of services) {
    const items = byService.get(service.id) ?? [];
    const recipients = await deps.identity.memberIds(service.organizationId, ['editor', 'admin']);
    const profiles = (await Promise.all(recipients.map((id) => deps.identity.accountDirectory.profile(id)))).filter((p) => p?.active);
    if (profiles.length === 0) continue;
    const satisfied = items.filter((f) => (f.satisfaction ?? 0) >= 4).length;
    const dissatisfied = items.filter((f) => f.satisfaction !== null && f.satisfaction <= 2).length;
    const comments = items.filter((f) => f.comment).slice(0, quoted);
    await deps.kernel.database.transaction(async (tx) => {
      const events: AuditEvent[] = [];
      for (const profile of profiles) {
        const locale: Locale = profile!.locale;
        await deps.kernel.notify.email(tx, {
          to: profile!.email,
          locale,
          key: 'services.emails.digest',
          params: {
            service: service.name[locale] || service.name.en || service.code,
            responses: items.length,
            satisfied,
            dissatisfied,
            comments: comments.map((c) => `- ${c.comment!.replace(/\s+/g, ' ').slice(0, 300)}`).join('\n') || '-',
            link: `${deps.kernel.config.publicUrl}/${locale}/services/${encodeURIComponent(service.code)}/feedback`,
          },
        });
        emails += 1;
        events.push({ action: 'services.personal_data.read', organizationId: service.organizationId, targetType: 'account', targetId: profile!.accountId, subjectId: profile!.accountId, purpose: digestPurpose, details: { fields: ['email', 'locale'] } });
      }
      await record(tx, ctx, ...events);
    });
  }
  return { services: services.length, emails };
}

import { randomBytes } from 'node:crypto';
import type { App } from '../../../app.js';
import { system } from '../../../kernel/auth/actor.js';
import type { ServicesDeps } from '../actions/deps.js';
import { createService } from '../actions/services.js';
import type { Service } from '../types.js';

export const sys = { actor: system, requestId: 'test' };

export function servicesDeps(app: App): ServicesDeps {
  return (app.apis.get('services') as { deps: ServicesDeps }).deps;
}

/** A service of the organization, with bilingual texts and a fresh code unless given. */
export async function makeService(app: App, organizationId: string, fields: Record<string, unknown> = {}): Promise<Service> {
  const code = (fields['code'] as string | undefined) ?? `SRV-${randomBytes(3).toString('hex').toUpperCase()}`;
  return createService(servicesDeps(app), sys, {
    code,
    organizationId,
    nameEn: `Renew a permit ${code}`,
    nameFr: `Renouveler un permis ${code}`,
    descriptionEn: 'Renew your permit online or in person.',
    descriptionFr: 'Renouvelez votre permis en ligne ou en personne.',
    channels: ['online', 'in_person'],
    application: 'yes',
    ...fields,
  });
}

/** Events of one transaction: started, then completed with the outcome or abandoned. */
export function transaction(service: string, reference: string, start: string, channel: string, end: 'approved' | 'denied' | 'ineligible' | 'other' | 'abandoned', minutes = 10) {
  const done = new Date(Date.parse(start) + minutes * 60_000).toISOString();
  return [
    { id: `${reference}-s`, service, reference, type: 'started', channel, time: start },
    end === 'abandoned'
      ? { id: `${reference}-a`, service, reference, type: 'abandoned', channel, time: done }
      : { id: `${reference}-c`, service, reference, type: 'completed', outcome: end, channel, time: done },
  ];
}

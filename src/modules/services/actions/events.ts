import { record, type ActionContext } from '../../../kernel/audit/index.js';
import { authorize } from '../../../kernel/auth/policy.js';
import { InputError, type FieldError } from '../../../kernel/errors/index.js';
import { servicesEvents } from '../audit.js';
import { storeEvents, type EventRow } from '../data/events.js';
import { servicesByCodes } from '../data/services.js';
import { eventInput, maxBatchEvents } from '../inputs/event.input.js';
import { servicesPermissions } from '../policies/index.js';
import type { ServicesDeps } from './deps.js';

/** What a sender is told: how many events were new, and how many were repeats already counted. */
export interface EventReceipt {
  received: number;
  stored: number;
  duplicates: number;
}

/** Events may not claim to come from the future (clock skew of a few minutes is tolerated). */
const futureToleranceMs = 5 * 60_000;

/**
 * Validates every event of a batch and names each bad one (index, field, message): a batch with any
 * invalid event stores nothing. Services are resolved by code; the sender must run each of them.
 */
async function validate(deps: ServicesDeps, ctx: ActionContext, items: unknown[], now: Date): Promise<EventRow[]> {
  const problems: FieldError[] = [];
  const parsed: Array<ReturnType<typeof eventInput.parse> | null> = items.map((item, index) => {
    try {
      const event = eventInput.parse(item);
      if (event.type === 'completed' && !event.outcome) problems.push({ index, field: 'outcome', rule: 'required', messageKey: 'services.events.errors.outcome.required' });
      if (event.type !== 'completed' && event.outcome) problems.push({ index, field: 'outcome', rule: 'invalid', messageKey: 'services.events.errors.outcome.onlyCompleted' });
      if (event.type === 'step' && !event.step) problems.push({ index, field: 'step', rule: 'required', messageKey: 'services.events.errors.step.required' });
      if (Date.parse(event.time) > now.getTime() + futureToleranceMs) problems.push({ index, field: 'time', rule: 'maximum', messageKey: 'services.events.errors.time.future' });
      return event;
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(...error.fields.map((f) => ({ ...f, index })));
      return null;
    }
  });
  const codes = [...new Set(parsed.flatMap((e) => (e ? [e.service] : [])))];
  const services = new Map((await servicesByCodes(deps.kernel.database.db, codes)).map((s) => [s.code, s]));
  parsed.forEach((event, index) => {
    if (event && !services.has(event.service)) problems.push({ index, field: 'service', rule: 'unknown', messageKey: 'services.events.errors.service.unknown', params: { service: event.service } });
  });
  if (problems.length) throw new InputError(problems.sort((a, b) => (a.index ?? 0) - (b.index ?? 0)));
  for (const service of services.values()) authorize(ctx.actor, servicesPermissions.sendEvents, service);
  return parsed.map((e) => {
    const event = e!;
    return {
      serviceId: services.get(event.service)!.id,
      eventId: event.id,
      reference: event.reference,
      type: event.type,
      step: event.type === 'step' ? event.step! : null,
      outcome: event.outcome ?? null,
      channel: event.channel,
      occurredAt: event.time,
    };
  });
}

/**
 * Receives transaction events (one or a batch). Repeated event ids are acknowledged and not counted
 * twice; the KPIs include the new events as soon as this returns. One audit entry per batch.
 */
export async function receiveEvents(deps: ServicesDeps, ctx: ActionContext, raw: unknown, now = new Date()): Promise<EventReceipt> {
  const items = Array.isArray((raw as { events?: unknown })?.events) ? ((raw as { events: unknown[] }).events) : [raw];
  if (items.length === 0 || items.length > maxBatchEvents) throw InputError.field('events', 'maxItems', 'services.events.errors.batchSize', { max: maxBatchEvents });
  const events = await validate(deps, ctx, items, now);
  const receipt = await deps.kernel.database.transaction(async (tx) => {
    const stored = await storeEvents(tx, events, deps.kernel.config.timeZone);
    const serviceIds = [...new Set(events.map((e) => e.serviceId))];
    await record(tx, ctx, {
      action: servicesEvents.eventsReceived,
      targetType: 'service',
      ...(serviceIds.length === 1 ? { targetId: serviceIds[0] } : {}),
      details: { received: events.length, stored, services: serviceIds.length },
    });
    return { received: events.length, stored, duplicates: events.length - stored };
  });
  if (receipt.stored) deps.dashboards.changed();
  return receipt;
}

/**
 * The services module's public surface. Other modules (and a service's own back end) reach it
 * through HTTP: the events API, the KPI API and the feedback link. Nothing else here is public.
 */
export interface ServicesApi {
  /** A service's display name by code, or null (e.g. for another module's links). */
  serviceName(code: string): Promise<{ code: string; name: { en?: string; fr?: string } } | null>;
}

export { servicesModule } from './module.js';

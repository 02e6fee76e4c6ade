import { pgSchema } from 'drizzle-orm/pg-core';

/** The kernel's own PostgreSQL schema; each module has its own (see docs/guides/adding-a-module.md). */
export const kernelSchema = pgSchema('kernel');

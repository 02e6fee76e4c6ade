import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { contextOf, handleForm, noticeFrom, seeOther } from '../../../kernel/http/pages.js';
import type { CatalogueDeps } from '../actions/datasets.js';
import { createGroup, editGroup, getGroup, listGroups } from '../actions/groups.js';
import { searchCatalogue } from '../actions/search.js';
import { authorize } from '../../../kernel/auth/policy.js';
import { cataloguePermissions } from '../policies/index.js';

const groupParams = Type.Object({ locale: Type.String(), name: Type.String({ maxLength: 100 }) });
type GroupRoute = { Params: { name: string } };
const page = { schema: { hide: true } } as const;

/** Groups (themes): a public list, and their management by superadmins. */
export function groupRoutes(app: FastifyInstance, deps: CatalogueDeps) {
  app.get('/:locale/groups', page, async (request, reply) => {
    const groups = await listGroups(deps);
    return reply.page('catalogue/groups.njk', { groups, canManage: request.actor.superadmin, notice: noticeFrom(request, { saved: 'catalogue.group.notice.saved' }) });
  });

  app.get('/:locale/groups/new', page, async (request, reply) => {
    authorize(request.actor, cataloguePermissions.manageGroups, undefined);
    return reply.page('catalogue/group-form.njk', { values: {}, creating: true });
  });

  app.post('/:locale/groups/new', page, async (request, reply) =>
    handleForm(request, reply, {
      template: 'catalogue/group-form.njk',
      data: { creating: true },
      run: () => createGroup(deps, contextOf(request), request.body),
      done: () => seeOther(reply, request.locale, '/groups?notice=saved'),
    }),
  );

  app.get<GroupRoute>('/:locale/groups/:name', { schema: { hide: true, params: groupParams } }, async (request, reply) => {
    const group = await getGroup(deps, request.params.name);
    const result = await searchCatalogue(deps, contextOf(request), { group: [group.name], limit: 50 }, request.locale);
    return reply.page('catalogue/group.njk', { group, result, canManage: request.actor.superadmin });
  });

  app.get<GroupRoute>('/:locale/groups/:name/edit', { schema: { hide: true, params: groupParams } }, async (request, reply) => {
    authorize(request.actor, cataloguePermissions.manageGroups, undefined);
    const group = await getGroup(deps, request.params.name);
    return reply.page('catalogue/group-form.njk', {
      group,
      values: { name: group.name, titleEn: group.title.en, titleFr: group.title.fr, descriptionEn: group.description.en, descriptionFr: group.description.fr },
    });
  });

  app.post<GroupRoute>('/:locale/groups/:name/edit', { schema: { hide: true, params: groupParams } }, async (request, reply) => {
    const group = await getGroup(deps, request.params.name);
    return handleForm(request, reply, {
      template: 'catalogue/group-form.njk',
      data: { group },
      run: () => editGroup(deps, contextOf(request), request.params.name, request.body),
      done: () => seeOther(reply, request.locale, '/groups?notice=saved'),
    });
  });
}

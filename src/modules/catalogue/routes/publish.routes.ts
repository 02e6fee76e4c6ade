import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { contextOf, handleForm, seeOther } from '../../../kernel/http/pages.js';
import { readMultipartForm, type MultipartForm } from '../../../kernel/http/multipart.js';
import {
  createDataset,
  datasetForChange,
  deleteDataset,
  editDataset,
  getDataset,
  prepareNewDataset,
  publishDataset,
  unpublishDataset,
  type CatalogueDeps,
} from '../actions/datasets.js';
import { listGroups, listLicences } from '../actions/groups.js';
import { addResource, editResource, getResource, removeResource, resourceForEdit, uploadTypes, type UploadedFile } from '../actions/resources.js';
import { accessLevels, updateFrequencies } from '../schema.js';
import type { Dataset, Resource } from '../types.js';

const datasetParams = Type.Object({ locale: Type.String(), name: Type.String({ maxLength: 100 }) });
const resourceParams = Type.Object({ locale: Type.String(), name: Type.String({ maxLength: 100 }), resourceId: Type.String({ format: 'uuid' }) });
type DatasetRoute = { Params: { name: string } };
type ResourceRoute = { Params: { name: string; resourceId: string } };
const page = { schema: { hide: true } } as const;

/** A dataset's metadata as the form's fields. */
export function formValues(d: Dataset): Record<string, unknown> {
  return {
    name: d.name,
    organizationId: d.organizationId,
    titleEn: d.title.en,
    titleFr: d.title.fr,
    descriptionEn: d.description.en,
    descriptionFr: d.description.fr,
    keywordsEn: d.keywords.en.join(', '),
    keywordsFr: d.keywords.fr.join(', '),
    groups: d.groups,
    licenceId: d.licenceId ?? '',
    accessLevel: d.accessLevel,
    exemptionReasonEn: d.exemptionReason.en,
    exemptionReasonFr: d.exemptionReason.fr,
    contactName: d.contact.name,
    contactEmail: d.contact.email,
    updateFrequency: d.updateFrequency ?? '',
    temporalStart: d.temporalStart ?? '',
    temporalEnd: d.temporalEnd ?? '',
    spatialEn: d.spatial.en,
    spatialFr: d.spatial.fr,
    version: d.version,
  };
}

function resourceValues(r: Resource): Record<string, unknown> {
  return { nameEn: r.name.en, nameFr: r.name.fr, descriptionEn: r.description.en, descriptionFr: r.description.fr, kind: r.kind, url: r.url ?? '', format: r.format, standardId: r.standardId ?? '' };
}

/** Publishing: dataset and resource forms for organization editors. */
export function publishRoutes(app: FastifyInstance, deps: CatalogueDeps) {
  const { kernel } = deps;

  /** Choices the dataset form offers: organizations the person may publish for, groups, licences. */
  async function choices(request: FastifyRequest) {
    return { organizations: await prepareNewDataset(deps, contextOf(request)), groups: await listGroups(deps), licences: await listLicences(deps), accessLevels, updateFrequencies };
  }

  app.get('/:locale/datasets/new', page, async (request, reply) => {
    const data = await choices(request);
    return reply.page('catalogue/dataset-form.njk', { ...data, creating: true, values: { accessLevel: 'open', organizationId: data.organizations[0]?.id } });
  });

  app.post('/:locale/datasets/new', page, async (request, reply) =>
    handleForm(request, reply, {
      template: 'catalogue/dataset-form.njk',
      data: { ...(await choices(request)), creating: true },
      run: () => createDataset(deps, contextOf(request), request.body),
      done: (dataset) => seeOther(reply, request.locale, `/datasets/${dataset.name}?notice=created`),
    }),
  );

  app.get<DatasetRoute>('/:locale/datasets/:name/edit', { schema: { hide: true, params: datasetParams } }, async (request, reply) => {
    const detail = await datasetForChange(deps, contextOf(request), request.params.name, 'edit');
    return reply.page('catalogue/dataset-form.njk', { ...(await choices(request)), dataset: detail.dataset, values: formValues(detail.dataset) });
  });

  app.post<DatasetRoute>('/:locale/datasets/:name/edit', { schema: { hide: true, params: datasetParams } }, async (request, reply) => {
    const detail = await getDataset(deps, contextOf(request), request.params.name);
    return handleForm(request, reply, {
      template: 'catalogue/dataset-form.njk',
      data: { ...(await choices(request)), dataset: detail.dataset },
      run: () => editDataset(deps, contextOf(request), request.params.name, request.body),
      done: (dataset) => seeOther(reply, request.locale, `/datasets/${dataset.name}?notice=saved`),
    });
  });

  app.post<DatasetRoute>('/:locale/datasets/:name/publish', { schema: { hide: true, params: datasetParams } }, async (request, reply) => {
    const detail = await getDataset(deps, contextOf(request), request.params.name);
    return handleForm(request, reply, {
      template: 'catalogue/dataset-form.njk',
      data: { ...(await choices(request)), dataset: detail.dataset, publishing: true },
      values: () => formValues(detail.dataset),
      run: () => publishDataset(deps, contextOf(request), request.params.name),
      done: (dataset) => seeOther(reply, request.locale, `/datasets/${dataset.name}?notice=published`),
    });
  });

  app.post<DatasetRoute>('/:locale/datasets/:name/unpublish', { schema: { hide: true, params: datasetParams } }, async (request, reply) => {
    const dataset = await unpublishDataset(deps, contextOf(request), request.params.name);
    return seeOther(reply, request.locale, `/datasets/${dataset.name}?notice=unpublished`);
  });

  app.get<DatasetRoute>('/:locale/datasets/:name/delete', { schema: { hide: true, params: datasetParams } }, async (request, reply) => {
    const detail = await datasetForChange(deps, contextOf(request), request.params.name, 'delete');
    return reply.page('catalogue/dataset-delete.njk', { ...detail });
  });

  app.post<DatasetRoute>('/:locale/datasets/:name/delete', { schema: { hide: true, params: datasetParams } }, async (request, reply) => {
    await deleteDataset(deps, contextOf(request), request.params.name);
    return seeOther(reply, request.locale, '/datasets?notice=deleted');
  });

  // Resources: uploads stream to the file store; the CSRF token is the form's first field.
  const uploadOptions = { fileField: 'file', store: kernel.files, maxBytes: kernel.config.uploadMaxBytes, allowedTypes: uploadTypes };
  const uploadedFile = (form: MultipartForm): UploadedFile | undefined => (form.file ? { ...form.file, fileName: form.file.fileName } : undefined);

  app.get<DatasetRoute>('/:locale/datasets/:name/resources/new', { schema: { hide: true, params: datasetParams } }, async (request, reply) => {
    const detail = await datasetForChange(deps, contextOf(request), request.params.name, 'edit');
    return reply.page('catalogue/resource-form.njk', { dataset: detail.dataset, values: { kind: 'upload' }, maxSize: kernel.config.uploadMaxBytes });
  });

  app.post<DatasetRoute>('/:locale/datasets/:name/resources/new', { config: { multipartForm: true }, schema: { hide: true, params: datasetParams } }, async (request, reply) => {
    const detail = await getDataset(deps, contextOf(request), request.params.name);
    let form: MultipartForm = { fields: {} };
    return handleForm(request, reply, {
      template: 'catalogue/resource-form.njk',
      data: { dataset: detail.dataset, maxSize: kernel.config.uploadMaxBytes, fileLost: true },
      values: () => form.fields,
      run: async () => {
        form = await readMultipartForm(request, reply, uploadOptions);
        const file = uploadedFile(form);
        return addResource(deps, contextOf(request), request.params.name, form.fields, file);
      },
      done: () => seeOther(reply, request.locale, `/datasets/${detail.dataset.name}?notice=resourceAdded`),
    });
  });

  app.get<ResourceRoute>('/:locale/datasets/:name/resources/:resourceId/edit', { schema: { hide: true, params: resourceParams } }, async (request, reply) => {
    const detail = await resourceForEdit(deps, contextOf(request), request.params.name, request.params.resourceId);
    return reply.page('catalogue/resource-form.njk', { ...detail, values: resourceValues(detail.resource), maxSize: kernel.config.uploadMaxBytes });
  });

  app.post<ResourceRoute>('/:locale/datasets/:name/resources/:resourceId/edit', { config: { multipartForm: true }, schema: { hide: true, params: resourceParams } }, async (request, reply) => {
    const { detail } = await getResource(deps, contextOf(request), request.params.name, request.params.resourceId);
    let form: MultipartForm = { fields: {} };
    return handleForm(request, reply, {
      template: 'catalogue/resource-form.njk',
      data: { ...detail, maxSize: kernel.config.uploadMaxBytes, fileLost: true },
      values: () => form.fields,
      run: async () => {
        form = await readMultipartForm(request, reply, uploadOptions);
        return editResource(deps, contextOf(request), request.params.name, request.params.resourceId, form.fields, uploadedFile(form));
      },
      done: (resource) => seeOther(reply, request.locale, `/datasets/${detail.dataset.name}/resources/${resource.id}?notice=saved`),
    });
  });

  app.post<ResourceRoute>('/:locale/datasets/:name/resources/:resourceId/delete', { schema: { hide: true, params: resourceParams } }, async (request, reply) => {
    await removeResource(deps, contextOf(request), request.params.name, request.params.resourceId);
    return seeOther(reply, request.locale, `/datasets/${request.params.name}?notice=resourceDeleted`);
  });
}

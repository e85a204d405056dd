import { notFound } from '../http/errors.js';
import { json, type RequestContext, type RouteSpec, route } from './types.js';

function poll(ctx: RequestContext) {
  return json(200, ctx.app.tasks.poll(ctx.params.id ?? ''));
}

function download(ctx: RequestContext) {
  const file = ctx.params.file ?? '';
  if (!file.endsWith('.zip')) throw notFound();
  const id = file.slice(0, -4);
  const zip = ctx.app.tasks.download(id);
  if (!zip) throw notFound('No finished download with this id.');
  return {
    status: 200,
    raw: zip,
    contentType: 'application/zip',
    headers: { 'Content-Disposition': `attachment; filename="${id}.zip"` },
  };
}

/** Task polling and ZIP downloads. */
export const TASK_ROUTES: RouteSpec[] = [
  route('GET', '/api/v2/tasks/:id', { summary: 'poll an async task (advances one state per poll)' }, poll),
  route('GET', '/api/v2/download/:file', { summary: "download a finished task's ZIP (<task>.zip)" }, download),
];

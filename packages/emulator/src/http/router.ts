import { badRequest, HttpError } from './errors.js';

/** Something with a method and a path pattern such as `/api/v2/replists/:id` (`:name` = one path segment). */
export interface Routable {
  readonly method: string;
  readonly path: string;
}

/** A route that matched a request, with its percent-decoded path parameters. */
export interface RouteMatch<R extends Routable> {
  route: R;
  params: Record<string, string>;
}

interface CompiledRoute<R> {
  route: R;
  segments: string[];
  /** Literal segments rank above parameters so `/replists/stats` wins over `/replists/:id`. */
  literalCount: number;
}

/** A tiny segment router: literal segments beat `:params`, unknown paths are 404, wrong methods 405. */
export class Router<R extends Routable> {
  private readonly compiled: CompiledRoute<R>[];

  constructor(routes: readonly R[]) {
    this.compiled = routes
      .map((route) => {
        const segments = route.path.split('/').slice(1);
        return { route, segments, literalCount: segments.filter((s) => !s.startsWith(':')).length };
      })
      .sort((a, b) => b.literalCount - a.literalCount);
  }

  /** Finds the route for `method` and a raw (still percent-encoded) pathname; throws 404/405 as HttpError. */
  match(method: string, rawPath: string): RouteMatch<R> {
    const trimmed = rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath;
    const parts = trimmed.split('/').slice(1);
    const allowed = new Set<string>();
    for (const c of this.compiled) {
      const params = matchSegments(c.segments, parts);
      if (!params) continue;
      if (c.route.method !== method) {
        allowed.add(c.route.method);
        continue;
      }
      return { route: c.route, params };
    }
    if (allowed.size > 0) {
      const allow = [...allowed].sort().join(', ');
      throw new HttpError(405, { detail: `Method "${method}" not allowed.` }, { Allow: allow });
    }
    throw new HttpError(404, { detail: 'Not found.' });
  }
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | null {
  if (pattern.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] ?? '';
    const raw = parts[i] ?? '';
    if (p.startsWith(':')) {
      if (raw === '') return null;
      params[p.slice(1)] = decodeSegment(raw);
    } else if (p !== raw) {
      return null;
    }
  }
  return params;
}

/** Percent-decodes one path segment; `%2F` stays inside the value (it never splits the route). */
function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw badRequest(`Malformed percent-encoding in path segment "${raw}".`);
  }
}

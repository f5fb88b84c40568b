/** The Resend API routes the stand-in serves, and how an unknown path or method is told apart. */

export const RESEND_ROUTES = ['sendEmail', 'listEmails', 'retrieveEmail', 'listDomains'] as const;
export type ResendRoute = (typeof RESEND_ROUTES)[number];

const TABLE: { pattern: RegExp; methods: Partial<Record<string, ResendRoute>> }[] = [
  { pattern: /^\/emails\/?$/, methods: { POST: 'sendEmail', GET: 'listEmails' } },
  { pattern: /^\/emails\/([^/]+)\/?$/, methods: { GET: 'retrieveEmail' } },
  { pattern: /^\/domains\/?$/, methods: { GET: 'listDomains' } },
];

export type RouteMatch = { kind: 'route'; route: ResendRoute; id?: string } | { kind: 'method_not_allowed' } | { kind: 'not_found' };

export function matchRoute(method: string, pathname: string): RouteMatch {
  for (const entry of TABLE) {
    const m = entry.pattern.exec(pathname);
    if (!m) continue;
    const route = entry.methods[method];
    if (!route) return { kind: 'method_not_allowed' };
    let id: string | undefined;
    try {
      id = m[1] === undefined ? undefined : decodeURIComponent(m[1]);
    } catch {
      return { kind: 'not_found' };
    }
    return { kind: 'route', route, id };
  }
  return { kind: 'not_found' };
}

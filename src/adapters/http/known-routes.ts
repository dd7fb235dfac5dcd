/**
 * The paths the app serves and their methods, so an unmatched request can be told apart: a known
 * path with another method is 405 with `Allow`, anything else 404.
 */
export class KnownRoutes {
  private readonly routes = new Map<string, { readonly pattern: RegExp; readonly methods: Set<string> }>();

  add(url: string, methods: string | readonly string[]): void {
    const route = this.routes.get(url) ?? { pattern: patternOf(url), methods: new Set<string>() };
    for (const method of typeof methods === 'string' ? [methods] : methods) route.methods.add(method.toUpperCase());
    this.routes.set(url, route);
  }

  /** The methods some route serves at this path, sorted; empty when no route has this path. */
  allowedAt(path: string): string[] {
    const allowed = new Set<string>();
    for (const { pattern, methods } of this.routes.values()) if (pattern.test(path)) for (const m of methods) allowed.add(m);
    return [...allowed].sort();
  }
}

const patternOf = (url: string): RegExp => {
  const segments = url.split('/').map((segment) => {
    if (segment === '*') return '.*';
    if (segment.startsWith(':')) return '[^/]+';
    return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  return new RegExp(`^${segments.join('/')}$`);
};

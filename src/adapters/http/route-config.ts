/** What a token may do. `admin` covers `/admin/` only; it does not imply `read` or `write`. */
export type Scope = 'read' | 'write' | 'admin';

/** `public`: no token needed (only `/health`). Routes without a scope need `read`. */
export type RouteScope = Scope | 'public';

/** The label a command or query carries in the metrics. */
export type CommandName = 'open-account' | 'deposit' | 'withdraw' | 'close-account' | 'request-transfer';
export type QueryName = 'get-account' | 'list-accounts' | 'list-transactions' | 'get-transfer';

declare module 'fastify' {
  interface FastifyContextConfig {
    scope?: RouteScope;
    command?: CommandName;
    query?: QueryName;
  }
}

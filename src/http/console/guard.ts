import type { FastifyRequest } from 'fastify';
import { may, type Permission } from '../../domain/operator-role.js';

const ROLE_REFUSED = 'KUOTA_ROLE_REFUSED';

/** The error the console's error handler answers with its 403 page, saying the role is why. */
export function forbidden(): Error & { statusCode: number; code: string } {
  return Object.assign(new Error('this operator may not do that'), { statusCode: 403, code: ROLE_REFUSED });
}

export const isRoleRefusal = (error: { code?: string }) => error.code === ROLE_REFUSED;

/**
 * A route's preHandler: the signed-in operator's role must allow `permission`. A hidden button is not a
 * lock; a forged or stale form is refused here.
 */
export const requires = (permission: Permission) => async (request: FastifyRequest) => {
  const ctx = request.consoleCtx;
  if (!ctx || !may(ctx.role, permission)) {
    request.log.info({ operatorId: ctx?.operatorId, permission }, 'console action refused for the role');
    throw forbidden();
  }
};

/** Whole sections of the console that only an owner opens, by the start of their address. */
const SECTIONS: Array<[prefix: string, permission: Permission]> = [
  ['/console/catalog', 'catalog'],
  ['/console/notices', 'notices'],
  ['/console/provider', 'provider'],
  ['/console/operators', 'operators'],
  ['/console/exports', 'exports'],
  ['/console/reports', 'reports'],
];

/** A preHandler hook for a scope: refuses a section the operator's role does not open. */
export async function sectionGuard(request: FastifyRequest) {
  const url = request.routeOptions.url ?? '';
  const section = SECTIONS.find(([prefix]) => url === prefix || url.startsWith(`${prefix}/`));
  if (section) await requires(section[1])(request);
}

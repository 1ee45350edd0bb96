import { BatonError } from '@app/domain';
import type { Role } from './roles';

declare module '@app/domain' {
  interface BatonErrorCodes {
    /** No credentials, or credentials no configured token or key accepts (401). */
    UNAUTHENTICATED: true;
    /** The caller is known but lacks the role or task type the request needs (403). */
    FORBIDDEN: true;
    /** The identity provider's key set (JWKS) cannot be read, so a JWT cannot be checked now (503). */
    AUTH_PROVIDER_UNAVAILABLE: true;
  }
}

/** A request without credentials, or with a token that is not configured (401). */
export class UnauthenticatedError extends BatonError {
  constructor(message: string) {
    super('UNAUTHENTICATED', message);
  }
}

/** A caller without one of the roles a route needs (403 naming them). */
export class MissingRoleError extends BatonError {
  constructor(required: readonly Role[], actor: string) {
    super('FORBIDDEN', `requires role ${required.join(' or ')} (${actor} has none of them)`, { details: { requiredRoles: required, actor } });
  }
}

/** A worker token used on a task it is not allowed (403 naming the task). */
export class TaskTypeForbiddenError extends BatonError {
  constructor(taskType: string, actor: string) {
    super('FORBIDDEN', `${actor} may not work on tasks of type ${taskType}`, { details: { taskType, actor } });
  }
}

/** The JWKS of the JWT mode cannot be fetched: retry later (503). */
export class AuthProviderUnavailableError extends BatonError {
  constructor(jwksUrl: string) {
    super('AUTH_PROVIDER_UNAVAILABLE', `the identity provider's key set (${jwksUrl}) cannot be read; try again`, { retryable: true });
  }
}

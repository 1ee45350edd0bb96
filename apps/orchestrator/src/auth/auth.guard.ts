import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { TokenRegistry } from './api-tokens';
import { AUTH_ENABLED, JWT_VERIFIER } from './auth.providers';
import { looksLikeJwt } from './jwt-claims';
import type { JwtVerifier } from './jwt-verifier';
import { MissingRoleError, UnauthenticatedError } from './auth.errors';
import { presentedToken } from './credentials';
import { actorOf, ANONYMOUS, attachPrincipal, type Principal } from './principal';
import { ROUTE_ACCESS, type RouteAccess } from './roles';

/**
 * The global guard of every HTTP route: authenticates the caller (bearer token), remembers the
 * principal for the handler (the actor of the events it causes) and checks the route's roles.
 * 401 without or with an unknown token, 403 naming the roles the route needs. JetStream message
 * handlers are not HTTP routes and pass (NATS permissions guard them, docs/security.md).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenRegistry,
    @Inject(AUTH_ENABLED) private readonly enabled: boolean,
    @Inject(JWT_VERIFIER) private readonly jwt: JwtVerifier | null,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const access = this.reflector.getAllAndOverride<RouteAccess | undefined>(ROUTE_ACCESS, [context.getHandler(), context.getClass()]);
    // The start-up check (route-access.ts) makes this unreachable; fail closed if it ever is not.
    if (access === undefined) throw new Error(`${context.getClass().name}.${context.getHandler().name} declares no access rule (@Roles or @Public)`);
    if (access === 'public') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const principal = await this.authenticate(request);
    attachPrincipal(request, principal);
    if (!access.roles.some((role) => principal.roles.has(role))) throw new MissingRoleError(access.roles, actorOf(principal));
    return true;
  }

  private async authenticate(request: FastifyRequest): Promise<Principal> {
    if (!this.enabled) return ANONYMOUS;
    const token = presentedToken(request.headers);
    if (token === undefined) throw new UnauthenticatedError('no credentials: send Authorization: Bearer <token>');
    const principal = token === '' ? undefined : this.jwt && looksLikeJwt(token) ? await this.jwt.principalOf(token) : this.tokens.principalOf(token);
    if (!principal) throw new UnauthenticatedError('the token is not valid (unknown, revoked or malformed)');
    return principal;
  }
}

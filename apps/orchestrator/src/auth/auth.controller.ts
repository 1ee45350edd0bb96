import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BatonError } from '@app/domain';
import { RequestValidationError } from '../api/api-exception.filter';
import { TokenRegistry } from './api-tokens';
import { AUTH_ENABLED } from './auth.providers';
import { UnauthenticatedError } from './auth.errors';
import { Public } from './roles';

/**
 * Conductor's token exchange, `POST /api/token { keyId, keySecret }`, so Conductor's SDKs can sign
 * in: the key id is an API token's name, the secret is the token itself, and the answer is that
 * same token, which the SDK then sends as `X-Authorization`. No new credential is made.
 */
@ApiTags('auth')
@Controller('api/token')
export class AuthController {
  constructor(
    private readonly tokens: TokenRegistry,
    @Inject(AUTH_ENABLED) private readonly enabled: boolean,
  ) {}

  @Public()
  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: "Conductor's token exchange: keyId = an API token's name, keySecret = the token; answers { token } (404 when authentication is off)" })
  @ApiBody({ schema: { type: 'object', properties: { keyId: { type: 'string' }, keySecret: { type: 'string' } }, required: ['keyId', 'keySecret'] } })
  @ApiOkResponse({ description: 'The same token, to send as X-Authorization', schema: { type: 'object', properties: { token: { type: 'string' } }, required: ['token'] } })
  exchange(@Body() body: unknown): { token: string } {
    // Conductor's SDKs read a 404 as "no auth on this server" and go on without a token.
    if (!this.enabled) throw new BatonError('NOT_SERVED', 'authentication is off on this orchestrator: no token is needed');
    const { keyId, keySecret } = (typeof body === 'object' && body !== null ? body : {}) as { keyId?: unknown; keySecret?: unknown };
    const problems = [
      ...(typeof keyId === 'string' && keyId.length > 0 && keyId.length <= 64 ? [] : [{ path: 'keyId', message: "keyId must be an API token's name" }]),
      ...(typeof keySecret === 'string' && keySecret.length > 0 && keySecret.length <= 1024 ? [] : [{ path: 'keySecret', message: 'keySecret must be the API token' }]),
    ];
    if (problems.length > 0) throw new RequestValidationError(problems);
    const principal = this.tokens.principalOf(keySecret as string);
    if (!principal || principal.name !== keyId) throw new UnauthenticatedError('keyId and keySecret do not name a configured API token');
    return { token: keySecret as string };
  }
}

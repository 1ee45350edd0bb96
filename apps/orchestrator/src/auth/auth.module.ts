import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AUTH_PROVIDERS } from './auth.providers';

/** Authentication and roles of the HTTP API: {@link AuthGuard} on every route (docs/security.md). */
@Module({ controllers: [AuthController], providers: [...AUTH_PROVIDERS, { provide: APP_GUARD, useClass: AuthGuard }] })
export class AuthModule {}

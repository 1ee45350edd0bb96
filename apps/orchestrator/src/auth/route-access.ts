import type { DynamicModule, ForwardReference, Type } from '@nestjs/common';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ROUTE_ACCESS } from './roles';

type ModuleRef = Type | DynamicModule | ForwardReference | Promise<DynamicModule>;

/** Every controller of a module and of the modules it imports (statically declared). */
export function controllersOf(root: Type | DynamicModule): Type[] {
  const controllers = new Set<Type>();
  const seen = new Set<unknown>();
  const visit = (ref: ModuleRef | undefined): void => {
    if (!ref || ref instanceof Promise || seen.has(ref)) return;
    seen.add(ref);
    if ('forwardRef' in ref) return visit(ref.forwardRef() as ModuleRef);
    const type = 'module' in ref ? ref.module : ref;
    const dynamic = 'module' in ref ? ref : undefined;
    for (const controller of [...metadataList<Type>(MODULE_METADATA.CONTROLLERS, type), ...(dynamic?.controllers ?? [])]) controllers.add(controller);
    for (const imported of [...metadataList<ModuleRef>(MODULE_METADATA.IMPORTS, type), ...(dynamic?.imports ?? [])]) visit(imported);
  };
  visit(root);
  return [...controllers];
}

function metadataList<T>(key: string, target: object): T[] {
  return (Reflect.getMetadata(key, target) as T[] | undefined) ?? [];
}

/**
 * The HTTP routes of these controllers that declare no access rule (`@Roles` or `@Public`), as
 * `Controller.method`. The orchestrator refuses to start while there is one (`main.ts`).
 */
export function routesWithoutAccess(controllers: readonly Type[]): string[] {
  const missing: string[] = [];
  for (const controller of controllers) {
    const prototype = controller.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const handler = prototype[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      // Route decorators set both the HTTP method and the path; message handlers set neither.
      if (Reflect.getMetadata(METHOD_METADATA, handler) === undefined || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
      if (Reflect.getMetadata(ROUTE_ACCESS, handler) === undefined) missing.push(`${controller.name}.${name}`);
    }
  }
  return missing;
}

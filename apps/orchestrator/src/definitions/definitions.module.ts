import { Module } from '@nestjs/common';
import { StoreModule } from '../store/store.module';
import { DefinitionRegistry } from './definition-registry.service';

/** Workflow and task definitions: stored as events, held in memory, followed across replicas. */
@Module({ imports: [StoreModule], providers: [DefinitionRegistry], exports: [DefinitionRegistry] })
export class DefinitionsModule {}

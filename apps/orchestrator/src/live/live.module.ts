import { Module } from '@nestjs/common';
import { LiveFeed } from './live-feed';

/** The live feed of committed read-model batches (a part of the read-model projection; served to the console). */
@Module({ providers: [LiveFeed], exports: [LiveFeed] })
export class LiveModule {}

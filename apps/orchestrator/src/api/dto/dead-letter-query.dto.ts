import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional } from 'class-validator';
import { IsIntegerFrom } from '../validation';

/** Query of `GET /api/operations/dead-letters`: a page of the newest letters. */
export class DeadLetterQueryDto {
  @ApiPropertyOptional({ description: 'Letters per page, 1 to 200, default 50' })
  @IsOptional()
  @Type(() => Number)
  @IsIntegerFrom(1, 200, 'limit must be an integer from 1 to 200')
  limit?: number;

  @ApiPropertyOptional({ description: 'Only letters older than this stream sequence (the next page: the last seq of this one)' })
  @IsOptional()
  @Type(() => Number)
  @IsIntegerFrom(1, Number.MAX_SAFE_INTEGER, 'beforeSeq must be a stream sequence (an integer ≥ 1)')
  beforeSeq?: number;
}

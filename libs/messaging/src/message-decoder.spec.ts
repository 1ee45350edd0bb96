import { IsArray, IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { DlqCodes } from './contract/subjects';
import { TaskResultMessage } from './contract/task-result.message';
import { decodeJson, isDecodeFailure, validateBody } from './message-decoder';

const bytes = (text: string) => new TextEncoder().encode(text);

class Line {
  @IsString()
  text!: string;
}

class Doc {
  @IsInt()
  @Min(1)
  version!: number;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => Line)
  lines!: Line[];
}

describe('decodeJson', () => {
  it('parses JSON bodies', () => {
    expect(decodeJson(bytes('{"a":[1,2]}'))).toEqual({ a: [1, 2] });
  });

  it('refuses oversize bodies before parsing them', () => {
    const result = decodeJson(bytes('not even json but long'), 4);
    expect(isDecodeFailure(result)).toBe(true);
    expect(result).toMatchObject({ code: DlqCodes.PayloadTooLarge });
  });

  it('refuses bodies that are not JSON or not UTF-8', () => {
    expect(decodeJson(bytes('{"a":'))).toMatchObject({ code: DlqCodes.DecodeFailed });
    expect(decodeJson(new Uint8Array([0x22, 0xff, 0x22]))).toMatchObject({ code: DlqCodes.DecodeFailed });
    expect(decodeJson(new Uint8Array())).toMatchObject({ code: DlqCodes.DecodeFailed });
  });

  it('refuses a body nested 10,000 levels deep as VALIDATION_FAILED naming the limit, before any DTO validation could recurse into it', () => {
    const deep = bytes('{"taskId":' + '['.repeat(10_000) + ']'.repeat(10_000) + '}');
    const result = decodeJson(deep);
    expect(isDecodeFailure(result)).toBe(true);
    expect(result).toMatchObject({ code: DlqCodes.ValidationFailed, reason: expect.stringMatching(/nested deeper than 128 levels at taskId.*maxDepth/) });
    expect(decodeJson(bytes('[[[1]]]'), 1024, { maxDepth: 2, maxKeys: 10, maxArrayLength: 10 })).toMatchObject({ code: DlqCodes.ValidationFailed });
  });

  it('does not mistake a body shaped like a failure for one', () => {
    expect(isDecodeFailure(decodeJson(bytes('{"code":"X","reason":"Y"}')))).toBe(false);
  });
});

describe('validateBody', () => {
  it('returns an instance of the DTO, keeping unknown properties', async () => {
    const result = await validateBody(Doc, { version: 2, lines: [{ text: 'a' }], extra: true });
    expect(result).toBeInstanceOf(Doc);
    expect(result).toMatchObject({ version: 2, extra: true });
  });

  it('lists every field with its failed rule, nested paths dotted', async () => {
    const result = await validateBody(Doc, { version: 0, lines: [{ text: 1 }] });
    expect(isDecodeFailure(result)).toBe(true);
    expect(result).toMatchObject({ code: DlqCodes.ValidationFailed });
    const { reason } = result as { reason: string };
    expect(reason).toContain('version: min (version must not be less than 1)');
    expect(reason).toContain('lines.0.text: isString (text must be a string)');
  });

  it('refuses bodies that are not JSON objects', async () => {
    for (const body of [null, 42, 'text', [1]]) {
      expect(await validateBody(Doc, body)).toMatchObject({ code: DlqCodes.ValidationFailed, reason: 'body must be a JSON object matching Doc' });
    }
  });

  it('accepts a well-formed task result and refuses an unknown status', async () => {
    const result = { taskId: 't', executionId: 'e', attempt: 1, status: 'COMPLETED', workerId: 'w', logs: [{ log: 'hi', createdTime: 1 }] };
    expect(await validateBody(TaskResultMessage, result)).toBeInstanceOf(TaskResultMessage);
    expect(await validateBody(TaskResultMessage, { ...result, status: 'DONE' })).toMatchObject({ code: DlqCodes.ValidationFailed });
  });
});

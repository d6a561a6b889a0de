import { IsOptional, IsString } from 'class-validator';
import { InvalidClientMetadataError, InvalidRequestError } from './oauth-error';
import { createOAuthValidationPipe, ValidationFailsWith } from './oauth-validation.pipe';

class TokenLike {
  @IsString()
  grant_type: string;

  @IsOptional()
  @IsString()
  code?: string;
}

@ValidationFailsWith(InvalidClientMetadataError)
class RegistrationLike {
  @IsString()
  client_name: string;
}

describe('createOAuthValidationPipe', () => {
  const pipe = createOAuthValidationPipe();

  it('turns failures into invalid_request naming every offending field', async () => {
    const failure = pipe.transform({ code: ['a', 'b'] }, { type: 'body', metatype: TokenLike });
    await expect(failure).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(failure).rejects.toMatchObject({
      errorCode: 'invalid_request',
      description: 'Invalid or missing parameters: grant_type, code',
    });
  });

  it('drops unknown parameters instead of refusing them (RFC 6749 §3.1)', async () => {
    await expect(
      pipe.transform({ grant_type: 'refresh_token', extra: 'x' }, { type: 'body', metatype: TokenLike }),
    ).resolves.toEqual({ grant_type: 'refresh_token' });
  });

  it('uses the error class a DTO names', async () => {
    await expect(
      pipe.transform({ client_name: 5 }, { type: 'body', metatype: RegistrationLike }),
    ).rejects.toMatchObject({
      errorCode: 'invalid_client_metadata',
      description: expect.stringContaining('client_name'),
    });
  });
});

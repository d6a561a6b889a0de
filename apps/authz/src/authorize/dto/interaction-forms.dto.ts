import { ApiProperty } from '@nestjs/swagger';

export class DecisionFormDto {
  @ApiProperty({ description: 'Hidden field of the consent page (single use)' }) interaction_id: string;
  @ApiProperty({ enum: ['approve', 'deny'] }) decision: string;
}

export class LoginFormDto {
  @ApiProperty() interaction_id: string;
  @ApiProperty() username: string;
  @ApiProperty({ format: 'password' }) password: string;
}

export class ProviderFormDto {
  @ApiProperty() interaction_id: string;
  @ApiProperty({ description: 'The identity provider id (AUTHZ_OIDC_PROVIDERS[].id)' }) provider: string;
}

export class LogoutFormDto {
  @ApiProperty({ required: false, description: 'The interaction to end (from the consent page)' })
  interaction_id?: string;
}

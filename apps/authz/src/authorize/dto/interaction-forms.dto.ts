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

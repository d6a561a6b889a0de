import { ApiProperty } from '@nestjs/swagger';

export class JwkDto {
  @ApiProperty({ example: 'RSA' }) kty: string;
  @ApiProperty({ example: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' }) kid: string;
  @ApiProperty({ example: 'RS256' }) alg: string;
  @ApiProperty({ example: 'sig' }) use: string;
  @ApiProperty({ description: 'RSA modulus, base64url' }) n: string;
  @ApiProperty({ example: 'AQAB' }) e: string;
}

export class JwksResponseDto {
  @ApiProperty({ type: [JwkDto] }) keys: JwkDto[];
}

import { Controller, Get, Header, NotFoundException, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { MetricsRegistry } from './metrics.registry';

/**
 * GET /metrics on an app's own internal listener (authz, mcp), for Prometheus. The gateway never routes it;
 * a request that came through a proxy (X-Forwarded-For) is answered as if nothing were here anyway.
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsRegistry) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (req.headers['x-forwarded-for'] !== undefined) throw new NotFoundException();
    const { contentType, body } = await this.metrics.scrape();
    res.setHeader('Content-Type', contentType);
    res.send(body);
  }
}

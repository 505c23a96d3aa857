import type { FastifyInstance } from 'fastify';

/** The secretariat's pages for campaigns: /admin/campaigns. */
export default async function campaignsRoutes(app: FastifyInstance) {
  void app;
}

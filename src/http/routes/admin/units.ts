import type { FastifyInstance } from 'fastify';

/** The secretariat's pages for units and agencies: /admin/units, /admin/agencies. */
export default async function unitsRoutes(app: FastifyInstance) {
  void app;
}

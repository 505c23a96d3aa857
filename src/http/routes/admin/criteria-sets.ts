import type { FastifyInstance } from 'fastify';

/** The secretariat's pages for criteria sets and their tree: /admin/criteria-sets. */
export default async function criteriaSetsRoutes(app: FastifyInstance) {
  void app;
}

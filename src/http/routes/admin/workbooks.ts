import type { FastifyInstance } from 'fastify';

/** The secretariat's pages for the campaign workbook: upload, download, template. */
export default async function workbooksRoutes(app: FastifyInstance) {
  void app;
}

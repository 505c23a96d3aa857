import type { FastifyInstance } from 'fastify';

/** The secretariat's pages for people and their roles: /admin/users. */
export default async function usersRoutes(app: FastifyInstance) {
  void app;
}

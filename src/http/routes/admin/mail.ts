// The secretariat's view of e-mail (issue 16, item 3): deliveries refused and waiting for another try, and those
// given up, with the server's last answer; so a wrong address or a mail server that refuses is seen, not guessed.
import type { FastifyInstance } from 'fastify';
import { mailProblems } from '../../../features/mail.ts';

export default async function mailRoutes(app: FastifyInstance) {
  app.get('/mail', async (req, reply) => {
    const { problems, sentToday } = await mailProblems(req.em);
    return reply.page(
      'admin/mail',
      { problems, sentToday, mailOn: Boolean(app.config.SMTP_URL) },
      { title: req.t('mail.admin.title') },
    );
  });
}

import { Migration } from '@mikro-orm/migrations';

/**
 * Practice campaigns (Tập huấn) that the secretariat makes, runs and throws away, without opening the append-only
 * tables to the app.
 *
 * - A campaign is a discardable practice campaign when it is marked practice and its flag was never switched: a switch
 *   is recorded in the audit log by a trigger (`campaign.practice-changed`), so a real campaign turned into a
 *   practice one afterwards can never be discarded.
 * - Every audit event is marked with the practice campaign it belongs to (`practice_campaign_id`), computed by the
 *   database at insert from the event's entity, whatever the app wrote there.
 * - `discard_practice_records` (security definer, the only way) deletes a discardable practice campaign's publications
 *   and, when the campaign goes whole, its marked audit events. The append-only guard lets exactly those rows go,
 *   during that call; every other row stays refused, and the app role still holds no DELETE on these tables.
 */
export class Migration20261202195445_practice_campaigns extends Migration {
  override name = 'Migration20261202195445_practice_campaigns';

  override up(): void {
    this.addSql(`alter table "audit_event" add column "practice_campaign_id" integer null;`);
    this.addSql(`create index "audit_event_practice_campaign_id_index" on "audit_event" ("practice_campaign_id") where "practice_campaign_id" is not null;`);

    this.addSql(`create or replace function discardable_practice(p_campaign integer) returns boolean language sql stable
      set search_path = public, pg_temp as $$
        select exists (select 1 from campaign c where c.id = p_campaign and c.practice)
           and not exists (select 1 from audit_event e where e.entity_type = 'Campaign' and e.entity_id = p_campaign::text
                                                         and e.action = 'campaign.practice-changed')
      $$;`);

    this.addSql(`create or replace function record_practice_change() returns trigger language plpgsql as $$
      begin
        if new.practice is distinct from old.practice then
          insert into audit_event (at, action, entity_type, entity_id, before, after)
          values (now(), 'campaign.practice-changed', 'Campaign', new.id::text,
                  jsonb_build_object('practice', old.practice), jsonb_build_object('practice', new.practice));
        end if;
        return new;
      end $$;`);
    this.addSql(`create trigger campaign_practice_changed after update of practice on "campaign" for each row execute function record_practice_change();`);

    this.addSql(`create or replace function mark_practice_audit() returns trigger language plpgsql as $$
      declare
        n integer;
        c integer;
      begin
        new.practice_campaign_id := null;
        if new.action = 'campaign.practice-changed' or new.entity_id !~ '^[0-9]{1,9}$' then
          return new;
        end if;
        n := new.entity_id::integer;
        c := case new.entity_type
          when 'Campaign' then n
          when 'CampaignUnit' then (select campaign_id from campaign_unit where id = n)
          when 'Exemption' then (select campaign_id from exemption where id = n)
          when 'SurveyResult' then (select campaign_id from survey_result where id = n)
          when 'SelfAssessment' then (select campaign_id from self_assessment where id = n)
          when 'CriterionScore' then (select sa.campaign_id from criterion_score cs
                                        join self_assessment sa on sa.id = cs.self_assessment_id where cs.id = n)
          when 'EvidenceFile' then (select sa.campaign_id from evidence_file f join criterion_score cs on cs.id = f.criterion_score_id
                                      join self_assessment sa on sa.id = cs.self_assessment_id where f.id = n)
          when 'Appraisal' then (select sa.campaign_id from appraisal a join criterion_score cs on cs.id = a.criterion_score_id
                                   join self_assessment sa on sa.id = cs.self_assessment_id where a.id = n)
          when 'ExplanationRequest' then (select sa.campaign_id from explanation_request r join appraisal a on a.id = r.appraisal_id
                                            join criterion_score cs on cs.id = a.criterion_score_id
                                            join self_assessment sa on sa.id = cs.self_assessment_id where r.id = n)
          when 'Publication' then (select campaign_id from publication where id = n)
          else null
        end;
        if c is not null and discardable_practice(c) then
          new.practice_campaign_id := c;
        end if;
        return new;
      end $$;`);
    this.addSql(`create trigger audit_event_mark_practice before insert on "audit_event" for each row execute function mark_practice_audit();`);

    // The append-only guard, with its one exception: a discardable practice campaign's rows, inside the discard call.
    this.addSql(`create or replace function refuse_change() returns trigger language plpgsql as $$
      declare
        discarding text := coalesce(current_setting('cchc.discard_practice', true), '');
        c text;
      begin
        if tg_op = 'DELETE' and discarding <> '' then
          c := case tg_table_name
            when 'audit_event' then to_jsonb(old)->>'practice_campaign_id'
            when 'publication' then to_jsonb(old)->>'campaign_id'
            when 'published_result' then (select p.campaign_id::text from publication p where p.id = (to_jsonb(old)->>'publication_id')::integer)
            else null
          end;
          if c = discarding and discardable_practice(c::integer) then
            return old;
          end if;
        end if;
        raise exception '% is append-only: % refused', tg_table_name, tg_op using errcode = 'integrity_constraint_violation';
      end $$;`);

    this.addSql(`create or replace function discard_practice_records(p_campaign integer, p_whole boolean) returns void
      language plpgsql security definer set search_path = public, pg_temp as $$
      begin
        if not discardable_practice(p_campaign) then
          raise exception 'campaign % is not a practice campaign: nothing of it may be discarded', p_campaign
            using errcode = 'insufficient_privilege';
        end if;
        perform set_config('cchc.discard_practice', p_campaign::text, true);
        delete from published_result where publication_id in (select id from publication where campaign_id = p_campaign);
        delete from publication where campaign_id = p_campaign;
        if p_whole then
          delete from audit_event where practice_campaign_id = p_campaign;
        end if;
        perform set_config('cchc.discard_practice', '', true);
      end $$;`);
    this.addSql(`revoke all on function discard_practice_records(integer, boolean) from public;`);
  }

  override down(): void {
    this.addSql(`drop function if exists discard_practice_records(integer, boolean);`);
    this.addSql(`create or replace function refuse_change() returns trigger language plpgsql as $$
      begin
        raise exception '% is append-only: % refused', tg_table_name, tg_op using errcode = 'integrity_constraint_violation';
      end $$;`);
    this.addSql(`drop trigger if exists audit_event_mark_practice on "audit_event";`);
    this.addSql(`drop function if exists mark_practice_audit();`);
    this.addSql(`drop trigger if exists campaign_practice_changed on "campaign";`);
    this.addSql(`drop function if exists record_practice_change();`);
    this.addSql(`drop function if exists discardable_practice(integer);`);
    this.addSql(`drop index if exists "audit_event_practice_campaign_id_index";`);
    this.addSql(`alter table "audit_event" drop column "practice_campaign_id";`);
  }
}

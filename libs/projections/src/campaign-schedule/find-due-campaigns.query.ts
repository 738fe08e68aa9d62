import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { CAMPAIGN_SCHEDULE_TABLE } from './campaign-schedule.projection.js';

/**
 * Active campaigns whose end date is before `today` (YYYY-MM-DD in Vietnam), oldest end first.
 * The view may lag the log: the campaign's decider has the last word on whether it ends.
 */
export class FindDueCampaigns extends Query<string[]> {
  constructor(
    readonly today: string,
    readonly limit = 500,
  ) {
    super();
  }
}

@QueryHandler(FindDueCampaigns)
export class FindDueCampaignsHandler implements IQueryHandler<FindDueCampaigns, string[]> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ today, limit }: FindDueCampaigns): Promise<string[]> {
    const rows: { campaign_id: string }[] = await this.dataSource.query(
      `SELECT campaign_id FROM ${CAMPAIGN_SCHEDULE_TABLE}
        WHERE status = 'active' AND end_date < $1::date
        ORDER BY end_date, campaign_id LIMIT $2`,
      [today, limit],
    );
    return rows.map(({ campaign_id }) => campaign_id);
  }
}

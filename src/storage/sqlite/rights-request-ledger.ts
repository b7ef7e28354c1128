import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { RightsRequestType } from '../../privacy/rights/request-types';
import type { RightsRequest, RightsRequestLedger } from '../ports';
import { checkLimit, guarded } from './guard';

interface RequestRow {
  id: string;
  subject_id: string;
  type: RightsRequestType;
  origin: string;
  received_at: number;
  due_at: number;
  completed_at: number | null;
  status: RightsRequest['status'];
  outcome: string | null;
}

/** No LIMIT given: every row (SQLite reads a negative LIMIT as "no limit"). */
const ALL = -1;

/** The rights-request ledger in table `rights_requests`: evidence that every request was answered. */
export class SqliteRightsRequestLedger implements RightsRequestLedger {
  private readonly insert;
  private readonly finishAndSupersede;
  private readonly bySubject;
  private readonly overdue;
  private readonly overdueOf;
  private readonly everything;
  private readonly completedSince;
  private readonly extendDue;

  constructor(
    db: Database.Database,
    private readonly clock: () => Date,
  ) {
    this.insert = db.prepare(`
      INSERT INTO rights_requests (id, subject_id, type, origin, received_at, due_at, status, expires_at)
      VALUES (@id, @subjectId, @type, @origin, @receivedAt, @dueAt, 'open', @expiresAt)`);
    // Only an open request is finished: a request answered (or superseded) stays as it was.
    const finishOpen = db.prepare<
      { id: string; status: string; outcome: string; at: number },
      { subject_id: string; type: string }
    >(`
      UPDATE rights_requests SET status = @status, outcome = @outcome,
        completed_at = CASE WHEN @status = 'completed' THEN @at ELSE NULL END
      WHERE id = @id AND status = 'open'
      RETURNING subject_id, type`);
    // Open requests only: a failed one stays failed (it must not count as a completed export).
    const supersedeOpen = db.prepare(`
      UPDATE rights_requests SET status = 'completed', completed_at = @at, outcome = 'answered by ' || @byId
      WHERE subject_id = @subjectId AND type = @type AND status = 'open' AND id <> @byId`);
    this.finishAndSupersede = db.transaction(
      (finish: { id: string; status: string; outcome: string; at: number }, supersede: boolean) => {
        const finished = finishOpen.get(finish);
        if (!finished || finish.status !== 'completed' || !supersede) return;
        supersedeOpen.run({
          subjectId: finished.subject_id,
          type: finished.type,
          byId: finish.id,
          at: finish.at,
        });
      },
    );
    const live = `expires_at > @now`;
    this.bySubject = db.prepare<{ subjectId: string; now: number; limit: number }, RequestRow>(`
      SELECT * FROM rights_requests WHERE subject_id = @subjectId AND ${live}
      ORDER BY received_at, id LIMIT @limit`);
    this.overdue = db.prepare<{ overdueAt: number; now: number; limit: number }, RequestRow>(`
      SELECT * FROM rights_requests WHERE status <> 'completed' AND due_at < @overdueAt AND ${live}
      ORDER BY received_at, id LIMIT @limit`);
    this.overdueOf = db.prepare<
      { subjectId: string; overdueAt: number; now: number; limit: number },
      RequestRow
    >(`
      SELECT * FROM rights_requests
      WHERE subject_id = @subjectId AND status <> 'completed' AND due_at < @overdueAt AND ${live}
      ORDER BY received_at, id LIMIT @limit`);
    this.everything = db.prepare<{ now: number; limit: number }, RequestRow>(`
      SELECT * FROM rights_requests WHERE ${live} ORDER BY received_at, id LIMIT @limit`);
    this.completedSince = db.prepare<
      { subjectId: string; type: string; since: number; now: number },
      { n: number }
    >(`
      SELECT count(*) AS n FROM rights_requests
      WHERE subject_id = @subjectId AND type = @type AND status = 'completed' AND completed_at >= @since AND ${live}`);
    this.extendDue = db.prepare<{ id: string; dueAt: number; now: number }>(`
      UPDATE rights_requests SET due_at = @dueAt
      WHERE id = @id AND status <> 'completed' AND due_at < @dueAt AND ${live}`);
  }

  open(input: Omit<RightsRequest, 'id' | 'status'>, expiresAt: Date): Promise<RightsRequest> {
    return guarded('rightsRequests.open', () => {
      const id = `rr_${randomBytes(8).toString('hex')}`;
      this.insert.run({
        id,
        subjectId: input.subjectId,
        type: input.type,
        origin: input.origin,
        receivedAt: input.receivedAt.getTime(),
        dueAt: input.dueAt.getTime(),
        expiresAt: expiresAt.getTime(),
      });
      return {
        id,
        subjectId: input.subjectId,
        type: input.type,
        origin: input.origin,
        receivedAt: input.receivedAt,
        dueAt: input.dueAt,
        status: 'open',
      };
    });
  }

  finish(
    id: string,
    status: 'completed' | 'failed',
    outcome: string,
    at: Date,
    options: { readonly supersede?: boolean } = {},
  ): Promise<void> {
    return guarded('rightsRequests.finish', () => {
      this.finishAndSupersede({ id, status, outcome, at: at.getTime() }, options.supersede === true);
    });
  }

  list(filter: { subjectId?: string; overdueAt?: Date; limit?: number }): Promise<RightsRequest[]> {
    return guarded('rightsRequests.list', () => {
      checkLimit('rightsRequests.list', filter.limit);
      const base = { now: this.clock().getTime(), limit: filter.limit ?? ALL };
      let rows: RequestRow[];
      if (filter.overdueAt !== undefined) {
        const overdueAt = filter.overdueAt.getTime();
        rows =
          filter.subjectId === undefined
            ? this.overdue.all({ ...base, overdueAt })
            : this.overdueOf.all({ ...base, overdueAt, subjectId: filter.subjectId });
      } else if (filter.subjectId !== undefined)
        rows = this.bySubject.all({ ...base, subjectId: filter.subjectId });
      else rows = this.everything.all(base);
      return rows.map(toRequest);
    });
  }

  extend(id: string, dueAt: Date): Promise<boolean> {
    return guarded(
      'rightsRequests.extend',
      () => this.extendDue.run({ id, dueAt: dueAt.getTime(), now: this.clock().getTime() }).changes > 0,
    );
  }

  countCompleted(subjectId: string, type: RightsRequestType, since: Date): Promise<number> {
    return guarded(
      'rightsRequests.countCompleted',
      () =>
        this.completedSince.get({ subjectId, type, since: since.getTime(), now: this.clock().getTime() })
          ?.n ?? 0,
    );
  }
}

function toRequest(row: RequestRow): RightsRequest {
  return {
    id: row.id,
    subjectId: row.subject_id,
    type: row.type,
    origin: row.origin,
    receivedAt: new Date(row.received_at),
    dueAt: new Date(row.due_at),
    status: row.status,
    ...(row.completed_at !== null && { completedAt: new Date(row.completed_at) }),
    ...(row.outcome !== null && { outcome: row.outcome }),
  };
}

/**
 * The review page is compiled for the browser on its own (tsconfig.page.json), with its own copy
 * of the API's types (src/feed/page/types.ts). These checks, run by `npm run typecheck` (part of
 * `npm test`), hold that copy to what the server sends: a field the server renames or retypes
 * fails the type check here instead of leaving a blank cell on the page.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { MatchDetailResponse } from '../../src/feed/apiRoutes.js';
import type * as Page from '../../src/feed/page/types.js';
import type { Role } from '../../src/feed/reviewTokens.js';
import type { Decision, DecisionKind, ReviewState } from '../../src/review/auditChain.js';
import type { MatchPage } from '../../src/review/matchQuery.js';
import type { EvidenceItem, MatchSummary } from '../../src/review/matchSummary.js';
import type { SiteSummary } from '../../src/review/reviewService.js';

describe('the review page reads what the API sends', () => {
  it('every response type of the server fits the type the page is compiled with', () => {
    expectTypeOf<Role>().toEqualTypeOf<Page.Role>();
    expectTypeOf<ReviewState>().toEqualTypeOf<Page.ReviewState>();
    expectTypeOf<DecisionKind>().toEqualTypeOf<Page.DecisionKind>();
    expectTypeOf<{ reviewer: string; role: Role }>().toExtend<Page.Me>();
    expectTypeOf<MatchSummary>().toExtend<Page.MatchSummary>();
    expectTypeOf<MatchPage>().toExtend<Page.MatchPage>();
    expectTypeOf<EvidenceItem>().toExtend<Page.EvidenceItem>();
    expectTypeOf<Decision>().toExtend<Page.Decision>();
    expectTypeOf<MatchDetailResponse>().toExtend<Page.MatchDetail>();
    expectTypeOf<SiteSummary>().toExtend<Page.SiteInfo>();
  });
});

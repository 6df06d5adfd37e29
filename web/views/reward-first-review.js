// Reviewer: first review (初審) of the department's reward applications.
import { renderRewardReview } from '../components/reward-review.js';

export function render(root, ctx) {
  renderRewardReview(root, ctx, 'first');
}

// Centre: second review (複審) of applications whose first review passed.
import { renderRewardReview } from '../components/reward-review.js';

export function render(root, ctx) {
  renderRewardReview(root, ctx, 'second');
}

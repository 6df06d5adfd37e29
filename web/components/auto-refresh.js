// Screens that refresh themselves when events change what they show: every
// ~15 s while the page is visible (document.visibilityState) and the screen is
// still shown, and never while the person is in the middle of something there
// (the focus in it, text typed, a file chosen, a question asked, an open scan).
export const REFRESH_MS = 15_000;

/** True when redrawing `scope` now would lose what the person is doing in it. */
export function busyWithInput(scope) {
  const active = document.activeElement;
  if (active && active !== scope && scope.contains(active)) return true; // a redraw would take the focus away
  if (scope.querySelector('.confirm-question, [aria-busy=true]') || document.querySelector('dialog[open]')) return true;
  return [...scope.querySelectorAll('input, textarea')].some((el) => {
    if (['hidden', 'button', 'submit', 'checkbox', 'radio'].includes(el.type)) return false;
    if (el.type === 'file') return el.files?.length > 0;
    return el.value !== el.defaultValue;
  });
}

/**
 * autoRefresh({scope, refresh, everyMs}) -> stop()
 * `refresh()` reloads the screen's data and redraws it; `scope` is the element it redraws.
 * Also refreshes once when the page becomes visible again after a while.
 */
export function autoRefresh({ scope, refresh, everyMs = REFRESH_MS }) {
  let last = Date.now();
  let running = false;
  async function tick(force = false) {
    if (running || !scope.isConnected || document.visibilityState !== 'visible') return;
    if (!force && Date.now() - last < everyMs - 50) return;
    if (busyWithInput(scope)) return;
    running = true;
    try {
      await refresh();
    } catch {
      // the screen shows its own errors; the next tick tries again
    } finally {
      last = Date.now();
      running = false;
    }
  }
  const timer = setInterval(() => tick(), everyMs);
  const onVisible = () => (document.visibilityState === 'visible' && Date.now() - last >= everyMs ? tick(true) : undefined);
  document.addEventListener('visibilitychange', onVisible);
  return () => {
    clearInterval(timer);
    document.removeEventListener('visibilitychange', onVisible);
  };
}

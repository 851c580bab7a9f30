/**
 * Places a status icon's reason tooltip in the viewport. The change table scrolls sideways, and
 * a scrolling box clips anything absolutely positioned inside it, so the tooltip is `fixed` and
 * placed here from the icon's rectangle: below it, or above when there is no room below. Escape
 * hides it.
 */
const GAP_PX = 4;
const MARGIN_PX = 8;

export function placeTooltipsWithin(root: HTMLElement): void {
  const place = (event: Event): void => {
    const icon = event.target instanceof Element ? event.target.closest('.status-icon') : null;
    const tooltip = icon?.querySelector<HTMLElement>('.tooltip');
    if (icon && tooltip) placeTooltip(icon, tooltip);
  };
  root.addEventListener('mouseover', place);
  root.addEventListener('focusin', place);
  dismissTooltipsOnEscape(root);
}

/**
 * Escape hides the tooltip that is showing, by hover or focus, without moving focus (WCAG 1.4.13);
 * it shows again the next time the icon is hovered or focused.
 */
function dismissTooltipsOnEscape(root: HTMLElement): void {
  root.ownerDocument.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    for (const icon of Array.from(root.querySelectorAll('.status-icon:hover, .status-icon:focus'))) icon.classList.add('tooltip-dismissed');
  });
  const reset = (event: Event): void => {
    const icon = event.target instanceof Element ? event.target.closest('.status-icon') : null;
    icon?.classList.remove('tooltip-dismissed');
  };
  root.addEventListener('focusout', reset);
  root.addEventListener('mouseout', reset);
}

function placeTooltip(icon: Element, tooltip: HTMLElement): void {
  const anchor = icon.getBoundingClientRect();
  // Measure it while shown but invisible, so the first frame is already in the right place.
  tooltip.style.visibility = 'hidden';
  tooltip.style.display = 'block';
  const { width, height } = tooltip.getBoundingClientRect();
  tooltip.style.removeProperty('display');
  tooltip.style.removeProperty('visibility');

  const below = anchor.bottom + GAP_PX;
  const fitsBelow = below + height <= window.innerHeight - MARGIN_PX;
  const top = fitsBelow ? below : Math.max(MARGIN_PX, anchor.top - GAP_PX - height);
  const left = Math.max(MARGIN_PX, Math.min(anchor.left, window.innerWidth - MARGIN_PX - width));
  tooltip.style.top = `${Math.round(top)}px`;
  tooltip.style.left = `${Math.round(left)}px`;
}

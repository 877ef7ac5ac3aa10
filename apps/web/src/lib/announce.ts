/** Polite screen-reader announcements through one live region (`#announcer` in App). */
export function announce(message: string): void {
  const region = document.getElementById('announcer');
  if (region === null) return;
  region.textContent = '';
  // a new text node after a tick is announced even when the message repeats
  window.setTimeout(() => {
    region.textContent = message;
  }, 30);
}

// Progressive enhancement only: every page works without this file.
import {
  Button,
  CharacterCount,
  Checkboxes,
  createAll,
  ErrorSummary,
  FileUpload,
  NotificationBanner,
  PasswordInput,
  Radios,
  ServiceNavigation,
  SkipLink,
  Tabs,
} from 'govuk-frontend';

for (const Component of [Button, CharacterCount, Checkboxes, ErrorSummary, FileUpload, NotificationBanner, PasswordInput, Radios, ServiceNavigation, SkipLink, Tabs]) {
  createAll(Component);
}

// A background job's progress (components/job-progress.njk): refresh the block in place every
// 2 seconds while the job runs, announcing each change politely; without JavaScript, people use
// the block's "refresh" link.
const progress = document.querySelector('[data-job-progress]');
if (progress) {
  const live = document.createElement('p');
  live.className = 'govuk-visually-hidden';
  live.setAttribute('aria-live', 'polite');
  progress.after(live);
  const running = (el) => el.dataset.status === 'queued' || el.dataset.status === 'running';
  const tick = async () => {
    if (!running(progress)) return;
    try {
      const response = await fetch(window.location.href, { credentials: 'same-origin', headers: { accept: 'text/html' } });
      const page = new DOMParser().parseFromString(await response.text(), 'text/html');
      const fresh = page.querySelector('[data-job-progress]');
      if (fresh) {
        const summary = fresh.querySelector('[data-job-summary]')?.textContent ?? '';
        if (summary !== progress.querySelector('[data-job-summary]')?.textContent) live.textContent = summary;
        progress.innerHTML = fresh.innerHTML;
        progress.dataset.status = fresh.dataset.status;
      }
      window.setTimeout(tick, 2000);
    } catch {
      window.setTimeout(tick, 5000);
    }
  };
  window.setTimeout(tick, 2000);
}

// Countersign reviewer UI: live queue (Server-Sent Events), ages and countdowns, decisions without reload, keyboard
// shortcuts. Loaded as a file (the Content-Security-Policy allows no inline script); it never writes text it received
// as HTML except the server-rendered, HTML-encoded card fragments.
'use strict';

(function () {
  const scriptHeader = { 'X-Countersign-Script': '1' };
  const serverNow = Date.parse(document.body.dataset.serverNow || '');
  const offset = Number.isNaN(serverNow) ? 0 : serverNow - Date.now();
  const now = () => Date.now() + offset;

  function span(ms) {
    const seconds = Math.max(0, Math.floor(ms / 1000));
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    if (h > 0) return h + 'h ' + String(m).padStart(2, '0') + 'm';
    if (m > 0) return m + 'm ' + String(s).padStart(2, '0') + 's';
    return s + 's';
  }

  function tick() {
    for (const el of document.querySelectorAll('[data-until]')) {
      const left = Date.parse(el.dataset.until) - now();
      el.textContent = left > 0 ? 'expires in ' + span(left) : 'expired';
      el.classList.toggle('soon', left < 60000);
    }
    for (const el of document.querySelectorAll('[data-since]')) {
      el.textContent = 'requested ' + span(now() - Date.parse(el.dataset.since)) + ' ago';
    }
  }

  tick();
  setInterval(tick, 1000);

  const queue = document.getElementById('queue');
  if (queue) {
    liveQueue(queue);
  }

  function liveQueue(queue) {
    const status = document.querySelector('[data-testid="live-status"]');
    const count = document.querySelector('[data-testid="pending-count"]');
    let selected = null;
    let pending = Promise.resolve();

    const cards = () => Array.from(queue.querySelectorAll('article.approval'));
    const find = (id) => queue.querySelector('article.approval[data-approval-id="' + CSS.escape(id) + '"]');

    function changed() {
      const all = cards();
      count.textContent = String(all.length);
      document.body.classList.toggle('queue-empty', all.length === 0);
      if (!selected || !selected.isConnected) select(all[0] || null);
    }

    function select(card) {
      if (selected) selected.classList.remove('selected');
      selected = card;
      if (card) {
        card.classList.add('selected');
        card.focus({ preventScroll: true });
        card.scrollIntoView({ block: 'nearest' });
      }
    }

    function remove(card) {
      if (card === selected) {
        const all = cards();
        const i = all.indexOf(card);
        select(all[i + 1] || all[i - 1] || null);
      }
      card.remove();
      changed();
    }

    async function load(id) {
      const url = queue.dataset.cardUrl + '&id=' + encodeURIComponent(id);
      const response = await fetch(url, { headers: scriptHeader, credentials: 'same-origin' });
      const existing = find(id);
      if (response.status === 404) {
        if (existing) remove(existing);
        return;
      }
      if (!response.ok) return;
      const template = document.createElement('template');
      template.innerHTML = (await response.text()).trim();
      const card = template.content.querySelector('article.approval');
      if (!card) return;
      if (existing) {
        existing.replaceWith(card);
        if (existing === selected) select(card);
      } else {
        queue.appendChild(card);
      }
      tick();
      changed();
    }

    function handle(change) {
      if (change.kind === 'gap') {
        location.reload();
        return Promise.resolve();
      }
      if (change.kind === 'created' || change.kind === 'reviewed') return load(change.id);
      const card = find(change.id);
      if (card) remove(card);
      return Promise.resolve();
    }

    const source = new EventSource(queue.dataset.eventsUrl + '?after=' + encodeURIComponent(queue.dataset.feedPosition));
    source.addEventListener('open', () => { status.textContent = 'live'; status.dataset.state = 'live'; });
    source.addEventListener('error', () => {
      // The browser reconnects by itself unless the server refused the stream (for example, the session ended).
      const closed = source.readyState === EventSource.CLOSED;
      status.textContent = closed ? 'disconnected: reload the page' : 'reconnecting…';
      status.dataset.state = 'down';
    });
    source.addEventListener('change', (event) => {
      const change = JSON.parse(event.data);
      pending = pending.then(() => handle(change)).catch(() => undefined);
    });

    queue.addEventListener('submit', async (event) => {
      const form = event.target.closest('form.decide');
      if (!form) return;
      event.preventDefault();
      const buttons = form.querySelectorAll('button');
      const output = form.querySelector('output');
      const body = new FormData(form, event.submitter);
      buttons.forEach((b) => { b.disabled = true; });
      let message;
      let response;
      try {
        response = await fetch(form.action, { method: 'POST', body, headers: scriptHeader, credentials: 'same-origin' });
        message = (await response.json()).message;
      } catch {
        message = 'The decision could not be sent' + (response ? ' (' + response.status + ').' : '.');
      }
      output.textContent = message;
      if (!response || !response.ok) buttons.forEach((b) => { b.disabled = false; });
    });

    queue.addEventListener('click', (event) => {
      const card = event.target.closest('article.approval');
      if (card) select(card);
    });

    document.addEventListener('keydown', (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const field = event.target.closest && event.target.closest('input, textarea, select');
      if (field) {
        if (event.key === 'Escape') field.blur();
        return;
      }
      const all = cards();
      const i = all.indexOf(selected);
      switch (event.key) {
        case 'j': select(all[Math.min(i + 1, all.length - 1)] || null); break;
        case 'k': select(all[Math.max(i - 1, 0)] || null); break;
        case 'a': if (selected) selected.querySelector('button.approve')?.click(); break;
        case 'd': if (selected) selected.querySelector('button.deny')?.click(); break;
        default: return;
      }
      event.preventDefault();
    });

    changed();
  }
})();

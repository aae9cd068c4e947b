// The admin page: plain DOM, no framework, no build step. Every value from the ledger is written with
// textContent, never as HTML: response excerpts come from receivers and must not run in this page.
'use strict';

const ACTION_HEADER = {'X-Bookhook-Action': 'page'};
let selectedId = null;

// The admin's token, when it asks for one (401). sessionStorage: it goes when the tab closes, and no other site can
// read it; it is sent as a header, never in a URL, so it stays out of logs and histories.
const TOKEN_KEY = 'bookhook-admin-token';

class TokenNeeded extends Error {}

function authorized(headers) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? {...headers, 'Authorization': 'Bearer ' + token} : headers;
}

// Every call to the API: with the token; a 401 asks for a (new) token instead of showing an error.
async function api(url, options = {}) {
  const response = await fetch(url, {...options, headers: authorized(options.headers || {})});
  if (response.status === 401) {
    askForToken(sessionStorage.getItem(TOKEN_KEY) !== null);
    throw new TokenNeeded();
  }
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

function askForToken(refused) {
  sessionStorage.removeItem(TOKEN_KEY);
  const form = document.getElementById('token-form');
  if (!form.hidden) return;
  form.hidden = false;
  document.getElementById('session').hidden = true;
  if (refused) say('That token was not accepted: enter the operator token or a read-only one.', true);
  document.getElementById('token-input').focus();
}

function refreshAll() {
  loadList('first');
  loadEndpoints();
  if (selectedId) showDetail(selectedId);
}

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function say(text, isError) {
  const message = document.getElementById('message');
  message.textContent = text;
  message.className = isError ? 'error' : '';
}

function getJson(url) {
  return api(url, {headers: {'Accept': 'application/json'}});
}

// The list shows the newest page of deliveries matching the filters; "Load more" adds the page after it (the API's
// cursor). The ledger can hold millions of deliveries: the page never asks for all of them.
const PAGE_SIZE = 200;
const MAX_PAGE_SIZE = 1000;
const list = {filters: null, shown: 0, next: null, request: 0, loadingMore: false};

function filterParams() {
  const params = new URLSearchParams();
  for (const [name, value] of [['status', document.getElementById('filter-status').value],
    ['appointment', document.getElementById('filter-appointment').value.trim()],
    ['endpoint', document.getElementById('filter-endpoint').value.trim()]]) {
    if (value) params.set(name, value);
  }
  return params;
}

// mode: 'first' shows the newest page; 'refresh' shows again the newest as many as are shown; 'more' adds the next page.
async function loadList(mode = 'refresh') {
  if (mode === 'refresh' && list.loadingMore) return; // it would replace the page being added
  const params = filterParams();
  const filters = params.toString();
  const sameFilters = filters === list.filters;
  if (mode === 'more') {
    if (!sameFilters || !list.next) return loadList('first');
    params.set('before', list.next);
    params.set('limit', PAGE_SIZE);
  } else if (mode === 'refresh' && sameFilters && list.shown > PAGE_SIZE) {
    // Keep what "Load more" added; past what one answer may hold, leave the list as it is until the filters change.
    if (list.shown > MAX_PAGE_SIZE) return;
    params.set('limit', list.shown);
  } else {
    params.set('limit', PAGE_SIZE);
  }
  const request = ++list.request;
  if (mode === 'more') list.loadingMore = true;
  try {
    const body = await getJson('api/deliveries?' + params);
    if (request !== list.request) return; // a newer answer is on its way
    const append = mode === 'more';
    renderList(body.deliveries, append);
    list.filters = filters;
    list.shown = (append ? list.shown : 0) + body.deliveries.length;
    list.next = body.next;
    document.getElementById('showing').textContent = list.shown === body.total
      ? body.total.toLocaleString('en-US') + (body.total === 1 ? ' delivery' : ' deliveries')
      : 'showing ' + list.shown.toLocaleString('en-US') + ' of ' + body.total.toLocaleString('en-US') + ' deliveries';
    document.getElementById('load-more').hidden = !body.next;
    document.getElementById('counts').textContent =
      Object.entries(body.counts).map(([status, n]) => status + ': ' + n.toLocaleString('en-US')).join(' · ');
  } catch (error) {
    if (!(error instanceof TokenNeeded)) say('Cannot list deliveries: ' + error.message, true);
  } finally {
    if (mode === 'more') list.loadingMore = false;
  }
}

function renderList(deliveries, append) {
  const tbody = document.querySelector('#deliveries tbody');
  const rows = deliveries.map(d => {
    const row = el('tr');
    row.dataset.deliveryId = d.delivery_id;
    if (d.delivery_id === selectedId) row.classList.add('selected');
    row.append(el('td', d.delivery_id.substring(0, 8)), el('td', d.endpoint, 'endpoint'), el('td', d.idempotency_key),
      el('td', d.status, 'status status-' + d.status), el('td', d.attempts, 'attempts'),
      el('td', d.last_response_code ?? '-'), el('td', d.reason), el('td', d.updated_at ?? '-'));
    const note = el('td');
    if (d.requested) note.append(el('span', d.requested.action + ' requested', 'requested'));
    row.append(note);
    row.addEventListener('click', () => showDetail(d.delivery_id));
    return row;
  });
  if (append) tbody.append(...rows);
  else tbody.replaceChildren(...rows);
}

async function showDetail(id) {
  selectedId = id;
  try {
    const d = await getJson('api/deliveries/' + encodeURIComponent(id));
    document.getElementById('detail').hidden = false;
    document.getElementById('detail-id').textContent = d.delivery_id;
    const fields = document.getElementById('detail-fields');
    fields.replaceChildren();
    for (const [label, value] of [['Endpoint', d.endpoint], ['Idempotency key', d.idempotency_key], ['Appointment', d.appointment_id],
      ['Event', d.event_type], ['Status', d.status], ['Attempts', d.attempts], ['Next attempt', d.next_attempt_at],
      ['Last response code', d.last_response_code],
      ['Last error', d.last_error], ['Response excerpt', d.response_excerpt], ['Reason', d.reason],
      ['Created', d.created_at], ['Updated', d.updated_at],
      ['Requested', d.requested ? d.requested.action + ' at ' + d.requested.requested_at : null]]) {
      fields.append(el('dt', label), el('dd', value ?? '-'));
    }
    const retry = document.getElementById('retry-button');
    const final = d.status === 'delivered' || d.status === 'skipped';
    const underWay = d.status === 'pending' || d.status === 'retrying';
    retry.disabled = final || underWay || d.payload == null;
    retry.title = final ? 'The receiver has it already: use Resend to send it again on purpose.'
      : underWay ? 'The sink is still delivering it, one attempt at a time.'
      : d.payload == null ? 'Its payload is gone from the ledger: it cannot be posted again.' : '';
    retry.onclick = () => act('api/deliveries/' + encodeURIComponent(d.delivery_id) + '/retry');
    const resend = document.getElementById('resend-button');
    resend.textContent = 'Resend ' + (d.event_type || 'all events') + ' of appointment ' + d.appointment_id + ' to ' + d.endpoint;
    resend.onclick = () => act('api/appointments/' + encodeURIComponent(d.appointment_id) + '/resend?endpoint='
      + encodeURIComponent(d.endpoint) + (d.event_type ? '&event=' + encodeURIComponent(d.event_type) : ''));
    document.getElementById('detail-same-key').replaceChildren(
      ...d.same_key.map(o => el('li', o.delivery_id + ' · ' + o.reason + ' · ' + o.status + ' · ' + o.attempts + ' attempt(s)')));
    document.getElementById('detail-payload').textContent = d.payload == null
      ? 'No payload: it aged out (BOOKHOOK_LEDGER_PAYLOAD_RETENTION) or was removed by bookhook forget; a skipped record never has one.'
      : JSON.stringify(d.payload, null, 2);
  } catch (error) {
    if (!(error instanceof TokenNeeded)) say('Cannot show delivery ' + id + ': ' + error.message, true);
  }
}

async function act(url) {
  try {
    const body = await api(url, {method: 'POST', headers: ACTION_HEADER});
    say(body.request.action + ' requested (request ' + body.request.request_id + '); the sink carries it out and the ledger shows the new attempt.');
    await loadList();
    if (selectedId) await showDetail(selectedId);
  } catch (error) {
    if (!(error instanceof TokenNeeded)) say('Refused: ' + error.message, true);
  }
}

async function loadEndpoints() {
  try {
    const body = await getJson('api/endpoints');
    document.querySelector('#endpoint-table tbody').replaceChildren(...body.endpoints.map(e => {
      const row = el('tr');
      row.dataset.endpoint = e.name;
      const filters = (e.events.length ? e.events.join(',') : 'all events') + '; '
        + (e.salons.length ? 'salons ' + e.salons.join(',') : 'all salons');
      row.append(el('td', e.name), el('td', e.target ?? '-'), el('td', filters), el('td', e.circuit, 'circuit circuit-' + e.circuit),
        el('td', e.paused ? 'yes' : 'no', 'paused'), el('td', e.in_flight, 'in-flight'), el('td', e.waiting + (e.spilled ? '+' : ''), 'waiting'),
        el('td', e.delivered, 'delivered'), el('td', e.failed, 'failed'), el('td', e.sinks),
        el('td', e.last_error ? e.last_error + ' (' + e.last_error_at + ')' : '-'));
      const toggle = el('button', e.paused ? 'Resume' : 'Pause', 'toggle');
      toggle.type = 'button';
      toggle.onclick = () => control(e.name, e.paused ? 'resume' : 'pause');
      const cell = el('td');
      cell.append(toggle);
      row.append(cell);
      return row;
    }));
  } catch (error) {
    if (!(error instanceof TokenNeeded)) say('Cannot list endpoints: ' + error.message, true);
  }
}

async function control(name, action) {
  try {
    const body = await api('api/endpoints/' + encodeURIComponent(name) + '/' + action, {method: 'POST', headers: ACTION_HEADER});
    say('endpoint ' + body.endpoint + (body.paused ? ' paused: its deliveries wait' : ' resumed: what waited goes now'));
    await loadEndpoints();
  } catch (error) {
    if (!(error instanceof TokenNeeded)) say('Refused: ' + error.message, true);
  }
}

document.getElementById('filters').addEventListener('submit', event => {
  event.preventDefault();
  loadList('first');
});
document.getElementById('load-more').addEventListener('click', () => loadList('more'));
document.getElementById('token-form').addEventListener('submit', event => {
  event.preventDefault();
  const input = document.getElementById('token-input');
  sessionStorage.setItem(TOKEN_KEY, input.value.trim());
  input.value = '';
  document.getElementById('token-form').hidden = true;
  document.getElementById('session').hidden = false;
  say('');
  refreshAll();
});
document.getElementById('forget-token').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  location.reload();
});
document.getElementById('session').hidden = sessionStorage.getItem(TOKEN_KEY) === null;
loadList('first');
loadEndpoints();
// The ledger and the endpoints keep changing while the sink works: follow them (not while the page waits for a token).
setInterval(() => {
  if (!document.getElementById('token-form').hidden) return;
  loadList(); loadEndpoints(); if (selectedId) showDetail(selectedId);
}, 3000);

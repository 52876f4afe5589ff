// RED_STATS dashboard: counts and a series chart from GET /stats and /stats/series, live alerts
// from the notifier's WebSocket. The token comes from the user (login box, or #token=… in the URL),
// lives in this tab's sessionStorage only, and is never part of the page.
(function () {
  'use strict';

  const TOKEN_KEY = 'redstats.token';
  const MAX_ALERTS = 200;
  // a chart stays readable up to a few hundred bars; "auto" picks the finest step under this
  const AUTO_MAX_BUCKETS = 500;
  const STEPS = [['1m', 60e3], ['5m', 300e3], ['1h', 3600e3], ['1d', 86400e3]];
  // reconnect backoff for the alert socket: fast at first, never hammering a down notifier
  const RECONNECT_MIN_MS = 1000;
  const RECONNECT_MAX_MS = 30000;
  // the notifier's close codes (its README): these mean "the resume token is no good, reconnect
  // without it"; every other close reconnects with the last token, so no alert is missed
  const DROP_RESUME_CLOSE_CODES = [4400, 4410];
  // the token was not accepted (4401: invalid or expired, 4403: not allowed): retrying with the
  // same token cannot help, a new sign-in does
  const TOKEN_REFUSED_CLOSE_CODES = [4401, 4403];
  const NORMAL_CLOSE = 1000;

  const $ = (id) => document.getElementById(id);
  let token = null;
  let chart = null;
  let config = { notifier_ws_url: null };
  let socket = null;
  let resume = null;
  // the notifier's key for this page's subscription: sent back on reconnect, so it keeps one row
  let connection = null;
  let reconnectDelay = RECONNECT_MIN_MS;
  let reconnectTimer = null;

  // ---- token

  function readFragment() {
    const params = new URLSearchParams(window.location.hash.replace(/^#/, ''));
    if (window.location.hash) {
      // keep the token out of the address bar, history and bookmarks
      history.replaceState(null, '', window.location.pathname + window.location.search);
    }
    return params;
  }

  function claims(jwt) {
    try {
      const payload = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(atob(payload));
    } catch (e) {
      return {};
    }
  }

  function signIn(newToken) {
    token = newToken.trim();
    sessionStorage.setItem(TOKEN_KEY, token);
    const c = claims(token);
    $('who').textContent =
      (c.client_id ? 'client ' + c.client_id : c.sub || 'token') + ' · ' + (c.scope || 'no scope');
    $('login').hidden = true;
    $('app').hidden = false;
    $('logout').hidden = false;
    connectAlerts();
  }

  function signOut(message) {
    token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    disconnectAlerts();
    connection = null; // the next sign-in may be another client's
    $('app').hidden = true;
    $('logout').hidden = true;
    $('login').hidden = false;
    $('who').textContent = message || '';
  }

  // ---- counts and series

  function toMillis(text) {
    const t = text.trim();
    if (/^\d+$/.test(t)) return Number(t);
    const ms = Date.parse(t);
    return Number.isNaN(ms) ? null : ms;
  }

  function chosenStep(fromMs, toMs) {
    const picked = $('step').value;
    if (picked !== 'auto') return picked;
    if (fromMs === null || toMs === null) return '1h';
    const found = STEPS.find(([, ms]) => (toMs - fromMs) / ms <= AUTO_MAX_BUCKETS);
    return found ? found[0] : '1d';
  }

  async function api(path, params) {
    const response = await fetch(path + '?' + new URLSearchParams(params), {
      headers: { Authorization: 'Bearer ' + token },
    });
    const body = await response.json().catch(() => ({}));
    if (response.ok) return body;
    if (response.status === 401) {
      signOut('the token was refused; sign in again');
    }
    let message = (body.errors || []).map((e) => (e.field ? e.field + ': ' : '') + e.message).join('; ');
    if (response.status === 429 || response.status === 503) {
      message += ' (retry after ' + (response.headers.get('Retry-After') || '?') + ' s)';
    }
    throw new Error(message || 'HTTP ' + response.status);
  }

  async function refresh() {
    const params = { from: $('from').value.trim(), to: $('to').value.trim(), red: $('red').value.trim() };
    if ($('client-id').value.trim()) params.client_id = $('client-id').value.trim();
    const step = chosenStep(toMillis(params.from), toMillis(params.to));
    document.body.dataset.state = 'loading';
    $('error').textContent = '';
    try {
      const [stats, series] = await Promise.all([
        api('/stats', params),
        api('/stats/series', Object.assign({ step: step }, params)),
      ]);
      showCounts(stats);
      drawSeries(series);
      document.body.dataset.state = 'ready';
    } catch (e) {
      $('error').textContent = e.message;
      document.body.dataset.state = 'error';
    }
  }

  function showCounts(stats) {
    $('images').textContent = String(stats.images);
    $('above').textContent = String(stats.above);
    $('share').textContent = stats.images ? ((100 * stats.above) / stats.images).toFixed(1) + ' %' : '–';
  }

  function label(ms, step) {
    const iso = new Date(ms).toISOString();
    return step === '1d' ? iso.slice(0, 10) : iso.slice(0, 16).replace('T', ' ');
  }

  function drawSeries(series) {
    const labels = series.buckets.map((b) => label(b.start, series.step));
    const images = series.buckets.map((b) => b.images);
    const above = series.buckets.map((b) => b.above);
    if (!chart) {
      chart = new Chart($('series-chart'), {
        type: 'bar',
        data: {
          labels: labels,
          datasets: [
            { label: 'images', data: images, backgroundColor: '#9aa5b1' },
            { label: 'red above ' + series.red, data: above, backgroundColor: '#d7263d' },
          ],
        },
        options: {
          animation: false,
          maintainAspectRatio: false,
          scales: { x: { stacked: false, title: { display: true, text: 'UTC, step ' + series.step } }, y: { beginAtZero: true } },
        },
      });
      return;
    }
    chart.data.labels = labels;
    chart.data.datasets[0].data = images;
    chart.data.datasets[1].data = above;
    chart.data.datasets[1].label = 'red above ' + series.red;
    chart.options.scales.x.title.text = 'UTC, step ' + series.step;
    chart.update();
  }

  // ---- live alerts

  // The token never goes in the URL (proxies log URLs): it is the socket's first message.
  function alertsUrl() {
    const params = new URLSearchParams({ min_red: $('min-red').value });
    if (resume) params.set('resume', resume);
    if (connection) params.set('connection', connection);
    return config.notifier_ws_url + '?' + params;
  }

  function connectAlerts() {
    if (!config.notifier_ws_url || !token || socket) return;
    clearTimeout(reconnectTimer);
    $('ws-status').textContent = 'connecting…';
    const ws = new WebSocket(alertsUrl());
    socket = ws;
    ws.onopen = () => {
      ws.send(JSON.stringify({ type: 'auth', token: token }));
      reconnectDelay = RECONNECT_MIN_MS;
      $('ws-status').textContent = 'connected';
    };
    ws.onmessage = (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (e) {
        return; // not ours to show
      }
      if (message.resume) resume = message.resume;
      if (message.connection) connection = message.connection;
      if (message.type === 'alert') showAlert(message);
      if (message.type === 'subscribed') $('ws-status').textContent = 'connected, alerts above ' + Number(message.min_red);
      if (message.type === 'ack') $('ws-status').textContent = 'connected, alerts above ' + Number(message.min_red);
      if (message.type === 'error') $('ws-status').textContent = (message.field ? message.field + ': ' : '') + message.message;
    };
    ws.onclose = (event) => {
      socket = null;
      if (!token) return;
      if (event.code === NORMAL_CLOSE) {
        $('ws-status').textContent = 'closed by the server';
        return;
      }
      if (TOKEN_REFUSED_CLOSE_CODES.includes(event.code)) {
        $('ws-status').textContent = 'alerts refused: ' + event.reason + '; sign in again';
        return;
      }
      if (DROP_RESUME_CLOSE_CODES.includes(event.code)) resume = null;
      $('ws-status').textContent = 'disconnected, retrying in ' + Math.round(reconnectDelay / 1000) + ' s';
      reconnectTimer = setTimeout(connectAlerts, reconnectDelay);
      reconnectDelay = Math.min(RECONNECT_MAX_MS, reconnectDelay * 2);
    };
  }

  function disconnectAlerts() {
    clearTimeout(reconnectTimer);
    if (socket) {
      const ws = socket;
      socket = null;
      ws.close(1000, 'signed out');
    }
  }

  function showAlert(alert) {
    const item = document.createElement('li');
    item.className = 'alert';
    item.dataset.imageId = String(alert.image_id);
    const when = typeof alert.timestamp === 'number' ? new Date(alert.timestamp).toISOString() : String(alert.timestamp);
    item.textContent = when + ' · image ' + alert.image_id + ' · client ' + alert.client_id + ' · red ' + alert.red;
    const list = $('alerts');
    list.insertBefore(item, list.firstChild);
    while (list.children.length > MAX_ALERTS) list.removeChild(list.lastChild);
  }

  function applyMinRed() {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ min_red: Number($('min-red').value) }));
    } else {
      connectAlerts(); // the new threshold goes in the URL of the next connection
    }
  }

  // ---- start

  function defaultRange() {
    const to = new Date(Math.ceil(Date.now() / 60e3) * 60e3);
    const from = new Date(to.getTime() - 86400e3);
    $('from').value = from.toISOString();
    $('to').value = to.toISOString();
  }

  async function start() {
    defaultRange();
    const fragment = readFragment();
    for (const [key, id] of [['from', 'from'], ['to', 'to'], ['red', 'red'], ['client_id', 'client-id'], ['step', 'step'], ['min_red', 'min-red']]) {
      if (fragment.get(key)) $(id).value = fragment.get(key);
    }
    try {
      config = await (await fetch('/dashboard/config')).json();
    } catch (e) {
      $('ws-status').textContent = 'no notifier configured';
    }
    $('login-form').addEventListener('submit', (e) => {
      e.preventDefault();
      signIn($('token-input').value);
      $('token-input').value = '';
      refresh();
    });
    $('logout').addEventListener('click', () => signOut());
    $('query-form').addEventListener('submit', (e) => {
      e.preventDefault();
      refresh();
    });
    $('alert-form').addEventListener('submit', (e) => {
      e.preventDefault();
      applyMinRed();
    });
    const initial = fragment.get('token') || sessionStorage.getItem(TOKEN_KEY);
    if (initial) {
      signIn(initial);
      refresh();
    }
  }

  start();
})();

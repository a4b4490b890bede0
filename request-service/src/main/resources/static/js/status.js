// The status page follows its request without a reload: it polls the page's JSON
// (data-progress-url) while the request is in flight and redraws the steps, the status, the
// reason, what was built (the product's outputs with their labels) and the history. Values are set
// with textContent only, never as HTML.
(function () {
  'use strict';

  var root = document.getElementById('status');
  if (!root || root.getAttribute('data-finished') === 'true') {
    return;
  }
  var url = root.getAttribute('data-progress-url');
  var interval = parseInt(root.getAttribute('data-poll-ms'), 10) || 2000;
  var STATE_TEXT = { current: 'in progress', pending: 'not yet' };
  var shown = null;

  function byId(id) {
    return document.getElementById(id);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = text;
    }
    return node;
  }

  function time(at, text) {
    var node = el('time', null, text);
    node.setAttribute('datetime', at);
    return node;
  }

  function renderSteps(steps) {
    var list = byId('steps');
    var items = steps.map(function (step) {
      var li = el('li', 'step step-' + step.state);
      li.setAttribute('data-step', step.step);
      li.setAttribute('data-state', step.state);
      li.appendChild(el('span', 'step-label', step.label));
      li.appendChild(el('span', 'step-state', STATE_TEXT[step.state] || step.state));
      if (step.at) {
        li.appendChild(time(step.at, step.atText));
      }
      if (step.detail) {
        li.appendChild(el('span', 'step-detail', step.detail));
      }
      return li;
    });
    list.replaceChildren.apply(list, items);
  }

  // The product's outputs, labelled by the catalog (label and value as text).
  function renderOutputs(outputs) {
    var list = byId('outputs');
    var nodes = [];
    outputs.forEach(function (output) {
      nodes.push(el('dt', null, output.label));
      var value = el('dd', null, output.value);
      value.id = 'output-' + output.name;
      nodes.push(value);
    });
    list.replaceChildren.apply(list, nodes);
  }

  function renderHistory(history) {
    var body = byId('history');
    var rows = history.map(function (entry) {
      var tr = el('tr');
      var when = el('td');
      when.appendChild(time(entry.at, entry.atText));
      tr.appendChild(when);
      tr.appendChild(el('td', null, entry.label));
      tr.appendChild(el('td', null, entry.detail));
      return tr;
    });
    body.replaceChildren.apply(body, rows);
  }

  function render(page) {
    var label = byId('status-label');
    if (label.textContent !== page.statusLabel) {
      label.textContent = page.statusLabel;
    }
    label.setAttribute('data-status', page.status);
    byId('reason').hidden = !page.reason;
    byId('reason-text').textContent = page.reason || '';
    var instance = page.instance;
    byId('instance').hidden = !instance;
    if (instance) {
      renderOutputs(instance.outputs || []);
      byId('instance-simulated').hidden = !instance.simulated;
    }
    renderSteps(page.steps);
    renderHistory(page.history);
    byId('live-note').hidden = page.finished;
    root.setAttribute('data-finished', String(page.finished));
  }

  function poll() {
    fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (text) {
        var page = text ? JSON.parse(text) : null;
        if (page) {
          if (text !== shown) {
            // Redraw only what changed, so focus and screen readers are left alone otherwise.
            render(page);
            shown = text;
          }
          if (page.finished) {
            return;
          }
        }
        window.setTimeout(poll, interval);
      })
      .catch(function () {
        window.setTimeout(poll, interval * 2);
      });
  }

  window.setTimeout(poll, interval);
}());

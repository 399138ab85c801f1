// Progressive enhancement only: every page works without it.
(function () {
  'use strict';
  // One colour per order state, each distinct (ten states); a state added later gets grey rather than a repeat.
  var STATE_COLOURS = {
    draft: '#9aa5b1',
    awaiting_payment: '#f2b134',
    paid: '#2f6690',
    topping_up: '#3a9bdc',
    fulfilled: '#2e8b57',
    refunding: '#b565a7',
    refunded: '#7d3c98',
    payment_failed: '#d1495b',
    expired: '#8c6d46',
    canceled: '#4a4e69',
  };
  var charts = document.getElementById('charts');
  if (charts && window.Chart) {
    var d = JSON.parse(charts.getAttribute('data-charts'));
    new window.Chart(document.getElementById('daily-chart'), {
      type: 'bar',
      data: {
        labels: d.daily.labels,
        datasets: [{ label: d.daily.label, data: d.daily.values, backgroundColor: '#2f6690' }],
      },
      options: { animation: false, maintainAspectRatio: false, plugins: { legend: { display: false } } },
    });
    new window.Chart(document.getElementById('states-chart'), {
      type: 'doughnut',
      data: {
        labels: d.states.labels,
        datasets: [
          {
            data: d.states.values,
            backgroundColor: d.states.codes.map(function (code) {
              return STATE_COLOURS[code] || '#cccccc';
            }),
          },
        ],
      },
      options: { animation: false, maintainAspectRatio: false },
    });
  }

  // Reports: net revenue per day, one chart per currency, a stacked bar per payment method.
  var METHOD_COLOURS = ['#2f6690', '#f2b134', '#2e8b57', '#b565a7', '#d1495b', '#3a9bdc', '#8c6d46', '#4a4e69'];
  document.querySelectorAll('[data-report-chart]').forEach(function (box) {
    if (!window.Chart) return;
    var d = JSON.parse(box.getAttribute('data-report-chart'));
    var lang = document.documentElement.lang;
    var format = d.unit
      ? new Intl.NumberFormat(lang, { style: 'currency', currency: d.unit })
      : new Intl.NumberFormat(lang);
    new window.Chart(box.querySelector('canvas'), {
      type: 'bar',
      data: {
        labels: d.labels,
        datasets: d.series.map(function (s, i) {
          return { label: s.label, data: s.values, backgroundColor: METHOD_COLOURS[i % METHOD_COLOURS.length] };
        }),
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: {
          x: { stacked: true },
          y: {
            stacked: true,
            ticks: {
              callback: function (v) {
                return format.format(v);
              },
            },
          },
        },
        plugins: {
          tooltip: {
            callbacks: {
              label: function (c) {
                return c.dataset.label + ': ' + format.format(c.parsed.y);
              },
            },
          },
        },
      },
    });
  });

  // A file chosen for import fills the textarea the form posts.
  document.querySelectorAll('input[type=file][data-fills]').forEach(function (input) {
    input.addEventListener('change', function () {
      var file = input.files && input.files[0];
      if (!file) return;
      file.text().then(function (text) {
        document.getElementById(input.getAttribute('data-fills')).value = text;
      });
    });
  });

  // Live audience count while composing a notice.
  var audience = document.querySelector('[data-audience]');
  var output = document.getElementById('audience-count');
  if (audience && output) {
    // Each keystroke asks again, and answers can come back out of order: only the latest question's answer is shown,
    // so an older answer (say, from before the plan codes were typed) never overwrites a newer one.
    var asked = 0;
    var refresh = function () {
      var question = ++asked;
      var form = audience.closest('form');
      var params = new URLSearchParams();
      var checked = form.querySelector('input[name=audience]:checked');
      params.set('audience', checked ? checked.value : 'all');
      params.set('carrier', form.querySelector('[name=carrier]').value);
      params.set('codes', form.querySelector('[name=codes]').value);
      fetch('/console/notices/audience.json?' + params, { credentials: 'same-origin' })
        .then(function (r) {
          return r.json();
        })
        .then(function (j) {
          if (question !== asked) return;
          var templates = JSON.parse(output.getAttribute('data-templates'));
          var form = new Intl.PluralRules(document.documentElement.lang).select(j.count);
          output.textContent = (templates[form] || templates.other).replace('{n}', String(j.count));
          // Plan codes the catalog does not know are named as they are typed, before the preview refuses them.
          var unknown = document.getElementById('unknown-plans');
          if (unknown)
            unknown.textContent =
              j.unknownPlans && j.unknownPlans.length
                ? unknown.getAttribute('data-template').replace('{codes}', j.unknownPlans.join(', '))
                : '';
        });
    };
    audience.addEventListener('change', refresh);
    audience.addEventListener('input', refresh);
  }

  // "Find on the map" on a store's form: the server asks the geocoder for the typed address and city, and the first
  // place found fills the coordinates, named so the operator can check it; the field can still be typed by hand.
  var geocode = document.querySelector('[data-geocode-button]');
  if (geocode) {
    geocode.addEventListener('click', function () {
      var form = geocode.closest('form');
      var said = form.querySelector('[data-geocode-result]');
      var parts = [form.querySelector('[name=address]').value, form.querySelector('[name=city]').value];
      var q = parts
        .map(function (p) {
          return p.trim();
        })
        .filter(Boolean)
        .join(', ');
      geocode.disabled = true;
      fetch('/console/stores/geocode.json?' + new URLSearchParams({ q: q }), { credentials: 'same-origin' })
        .then(function (r) {
          return r.json();
        })
        .then(function (j) {
          if (j.found) form.querySelector('[name=location]').value = j.location;
          said.textContent = j.message;
        })
        .finally(function () {
          geocode.disabled = false;
        });
    });
  }

  // A published notice's delivery counts follow the outbox as it sends.
  var status = document.querySelector('[data-status-url]');
  // A notice already delivered when the page was drawn is not polled at all.
  if (status && status.getAttribute('data-live') !== 'done') {
    var format = new Intl.NumberFormat(document.documentElement.lang);
    // Polls while messages are still waiting; stops once every recipient's message is settled.
    var timer = setInterval(function () {
      fetch(status.getAttribute('data-status-url'), { credentials: 'same-origin' })
        .then(function (r) {
          return r.json();
        })
        .then(function (j) {
          var map = {
            recipients: j.recipients,
            queued: j.pending,
            sent: j.sent,
            failed: j.failed,
            unreachable: j.unreachable,
          };
          Object.keys(map).forEach(function (k) {
            var el = status.querySelector('[data-count=' + k + ']');
            if (el) el.textContent = format.format(map[k]);
          });
          if (j.state === 'published' && j.pending === 0 && j.sent + j.failed + j.unreachable >= j.recipients) {
            clearInterval(timer);
            status.setAttribute('data-live', 'done');
          }
        });
    }, 1000);
  }
})();

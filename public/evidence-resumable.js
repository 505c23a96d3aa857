// Resumable evidence uploads (form[data-tus]): with tus-js-client (served from our own origin as tus.js), each chosen
// file goes up in chunks with its own line of progress (percent and time left); it pauses when the browser goes
// offline and goes on by itself when it is back; after a reload, choosing the same file again goes on from where it
// stopped (the upload is remembered per criterion in localStorage). When every file is done, the evidence block is
// fetched again. Without this script (or without tus support) upload.js, or the plain form, sends the form as before.
(() => {
  if (window.cchcResumable) return;
  window.cchcResumable = true;
  var tus = window.tus;
  if (!tus?.isSupported || !window.fetch || !window.localStorage) return;

  var fill = (template, values) =>
    (template || '').replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
  var say = (form, name, values) => fill(form.getAttribute(`data-tus-${name}`), values);
  var timeLeft = (form, seconds) =>
    seconds < 90
      ? say(form, 'seconds', { n: Math.max(1, Math.round(seconds)) })
      : say(form, 'minutes', { n: Math.round(seconds / 60) });
  var prefixOf = (form) => `tus::cchc:${form.getAttribute('data-tus-key')}:`;

  /** The progress list of a form's criterion: beside the evidence block, so that it outlives the block's swaps. */
  var listOf = (form) => {
    var id = `${form.getAttribute('data-upload')}-progress`;
    var list = document.getElementById(id);
    if (list) return list;
    var box = document.getElementById(form.getAttribute('data-upload'));
    list = document.createElement('ul');
    list.id = id;
    list.className = 'plain tus-files';
    list.setAttribute('aria-live', 'polite');
    list.setAttribute('aria-label', form.getAttribute('data-tus-files') || '');
    (box || form).before(list);
    return list;
  };
  var line = (list, key) => {
    var li = key ? list.querySelector(`li[data-key="${CSS.escape(key)}"]`) : null;
    if (!li) {
      li = document.createElement('li');
      if (key) li.setAttribute('data-key', key);
      li.innerHTML = '<span class="tus-text"></span> <progress max="100" value="0"></progress>';
      list.append(li);
    }
    return li;
  };
  var show = (li, text, percent, error) => {
    li.querySelector('.tus-text').textContent = text;
    var bar = li.querySelector('progress');
    if (percent === null) bar.hidden = true;
    else {
      bar.hidden = false;
      bar.value = percent;
    }
    li.classList.toggle('error-message', Boolean(error));
  };

  /** Uploads remembered from before a reload, said under the form: choosing the same file again goes on. */
  var remind = (form) => {
    if (form.hasAttribute('data-tus-reminded')) return;
    form.setAttribute('data-tus-reminded', '');
    var storage = tus.defaultOptions.urlStorage;
    if (!storage?.findUploadsByFingerprint) return;
    var prefix = prefixOf(form);
    storage.findAllUploads().then((all) => {
      all
        .filter((u) => u.urlStorageKey && u.urlStorageKey.indexOf(prefix) === 0 && u.uploadUrl)
        .forEach((u) => {
          fetch(u.uploadUrl, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0' }, credentials: 'same-origin' })
            .then((res) => {
              if (res.status === 404) return storage.removeUpload(u.urlStorageKey);
              if (!res.ok) return;
              var offset = Number(res.headers.get('Upload-Offset'));
              var length = Number(res.headers.get('Upload-Length')) || u.size;
              var name = u.metadata?.filename || '';
              var li = line(listOf(form), `${name}:${u.size}`);
              var percent = Math.floor((offset / length) * 100);
              show(li, say(form, 'remembered', { name, percent }), percent, false);
            })
            .catch(() => {});
        });
    });
  };

  var prepare = (root) => {
    if (!root.querySelectorAll) return;
    root.querySelectorAll('form[data-tus]').forEach((form) => {
      var input = form.querySelector('input[type=file]');
      // Several files at once: each gets its own upload and line.
      if (input) input.multiple = true;
      remind(form);
    });
  };
  var observer = new MutationObserver((records) => {
    records.forEach((r) => {
      r.addedNodes.forEach((n) => {
        if (n.nodeType === 1) prepare(n.matches?.('form[data-tus]') ? n.parentNode : n);
      });
    });
  });
  var start = () => {
    prepare(document);
    observer.observe(document.body, { childList: true, subtree: true });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();

  /** Uploads under way, paused while the browser is offline and started again when it is back. */
  var running = new Set();
  window.addEventListener('offline', () => {
    running.forEach((job) => {
      job.pause();
    });
  });
  window.addEventListener('online', () => {
    running.forEach((job) => {
      job.resume();
    });
  });

  /** The words of a page of the server's own (not the evidence block), as upload.js reads them. */
  var pageMessage = (html) => {
    if (!html || html.indexOf('<') < 0 || !window.DOMParser) return '';
    var doc = new DOMParser().parseFromString(html, 'text/html');
    var body = doc.querySelector('main h1 + p') || doc.querySelector('main p');
    return body ? body.textContent.replace(/\s+/g, ' ').trim() : '';
  };

  /** The evidence block fetched again and put in place of the old one. */
  var refresh = (form, boxId) =>
    fetch(form.getAttribute('data-tus'), { headers: { 'HX-Request': 'true' }, credentials: 'same-origin' })
      .then((res) => res.text())
      .then((html) => swap(boxId, html));
  var swap = (boxId, html) => {
    var box = document.getElementById(boxId);
    if (!box || html.trim().indexOf(`<div id="${boxId}"`) !== 0) return false;
    var holder = document.createElement('div');
    holder.innerHTML = html.trim();
    var fresh = holder.firstElementChild;
    box.replaceWith(fresh);
    if (window.htmx) window.htmx.process(fresh);
    var focus = fresh.querySelector('.error-summary') || fresh.querySelector('[aria-invalid="true"]');
    if (focus) focus.focus();
    return true;
  };

  // Capturing on window runs before upload.js (which captures on document): this form is sent here, not there.
  window.addEventListener(
    'submit',
    (event) => {
      var form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-tus')) return;
      var input = form.querySelector('input[type=file]');
      var files = input?.files ? Array.prototype.slice.call(input.files) : [];
      // No file chosen: the plain way (upload.js) sends the form and the server says so beside the field.
      if (!files.length) return;
      event.preventDefault();
      event.stopPropagation();
      var boxId = form.getAttribute('data-upload');
      var button = form.querySelector('button[type=submit]');
      var value = (name) => {
        var field = form.elements.namedItem(name);
        return field && 'value' in field ? field.value : '';
      };
      var metadata = {
        documentNumber: value('documentNumber'),
        documentDate: value('documentDate'),
        issuer: value('issuer'),
      };
      var token = value('_csrf');
      var list = listOf(form);
      if (button) button.disabled = true;
      var left = files.length;
      var refused = false;
      // Two files go up at a time (the server lets one person have a few uploads under way at once), the rest wait.
      var waiting = [];
      var active = 0;
      var next = () => {
        while (active < 2 && waiting.length) {
          active += 1;
          waiting.shift()();
        }
      };
      var finished = () => {
        left -= 1;
        active -= 1;
        next();
        if (left > 0) return;
        if (button) button.disabled = false;
        if (!refused) refresh(form, boxId).catch(() => {});
      };
      files.forEach((file) => {
        var name = file.name;
        var li = line(list, `${name}:${file.size}`);
        show(li, say(form, 'starting', { name }), 0, false);
        var paused = false;
        var progressed = false;
        var since = null;
        var job = {};
        var upload = new tus.Upload(file, {
          endpoint: form.getAttribute('data-tus'),
          chunkSize: Number(form.getAttribute('data-tus-chunk')) || 1048576,
          retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
          metadata: Object.assign({ filename: name }, metadata),
          headers: { 'X-CSRF-Token': token, 'HX-Request': 'true' },
          fingerprint: (f) =>
            Promise.resolve(`cchc:${form.getAttribute('data-tus-key')}:${f.name}:${f.size}:${f.lastModified}`),
          storeFingerprintForResuming: true,
          removeFingerprintOnSuccess: true,
          // As tus-js-client's own rule (a lost connection, a server error, a conflict of offsets), and "too many
          // uploads at once" (429) once some bytes went up: a dropped connection's request may still count a while.
          onShouldRetry: (err) => {
            var status = err?.originalResponse ? err.originalResponse.getStatus() : 0;
            if (navigator.onLine === false) return false;
            if (status === 429) return progressed;
            return !status || status >= 500 || status === 409 || status === 423;
          },
          onChunkComplete: () => {
            progressed = true;
          },
          onProgress: (sent, total) => {
            var percent = Math.floor((sent / total) * 100);
            var now = Date.now();
            if (!since) since = { at: now, sent };
            var rate = (sent - since.sent) / ((now - since.at) / 1000);
            var text =
              rate > 0 && now - since.at > 1000
                ? say(form, 'progress', { name, percent, time: timeLeft(form, (total - sent) / rate) })
                : say(form, 'progressNoTime', { name, percent });
            if (sent >= total) text = say(form, 'checking', { name });
            if (!paused) show(li, text, percent, false);
          },
          onSuccess: (payload) => {
            running.delete(job);
            var res = payload?.lastResponse;
            var outcome = res ? res.getHeader('Evidence-Outcome') : 'stored';
            if (outcome && outcome !== 'stored') {
              refused = true;
              show(li, `${name}: ${decodeURIComponent(res.getHeader('Evidence-Message') || '')}`, null, true);
            } else show(li, say(form, 'done', { name }), 100, false);
            finished();
          },
          onError: (err) => {
            // Offline: not a failure, a pause; the 'online' event starts it again.
            if (paused || navigator.onLine === false) {
              paused = true;
              return;
            }
            running.delete(job);
            var res = err?.originalResponse;
            var body = res ? res.getBody() || '' : '';
            refused = true;
            // A refusal at creation (the declared size, a typed field, the ceiling): the block with its messages.
            if (swap(boxId, body)) li.remove();
            else {
              // A page of the server's own (too many uploads at once, the database restarting): its words.
              const said = pageMessage(body);
              show(li, said ? `${name}: ${said}` : say(form, 'failed', { name }), null, true);
              const status = form.isConnected && form.querySelector('[data-upload-status]');
              if (status && said) {
                status.textContent = said;
                status.classList.add('error-message');
              }
            }
            finished();
          },
        });
        job.pause = () => {
          paused = true;
          since = null;
          var bar = li.querySelector('progress');
          show(li, say(form, 'paused', { name, percent: bar ? bar.value : 0 }), bar ? bar.value : 0, false);
          upload.abort();
        };
        job.resume = () => {
          if (!paused) return;
          paused = false;
          upload.start();
        };
        waiting.push(() => {
          running.add(job);
          upload
            .findPreviousUploads()
            .then((previous) => {
              if (previous.length) {
                upload.resumeFromPreviousUpload(previous[0]);
                progressed = true;
              }
              if (navigator.onLine === false) job.pause();
              else upload.start();
            })
            .catch(() => {
              upload.start();
            });
        });
      });
      next();
      if (input) input.value = '';
    },
    true,
  );
})();

// Upload progress for evidence forms (form[data-upload]). fetch, and so htmx, reports no upload progress; an
// XMLHttpRequest does, which matters for a 20 MB file over 3G. The server answers this request (HX-Request) with the
// evidence block, swapped in here; without JavaScript the same form posts normally and the server redirects back.
(() => {
  // Loaded twice (a page and a fragment both naming it), it must still send each form once.
  if (!window.FormData || !window.XMLHttpRequest || window.cchcUpload) return;
  window.cchcUpload = true;

  document.addEventListener(
    'submit',
    (event) => {
      var form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-upload')) return;
      var box = document.getElementById(form.getAttribute('data-upload'));
      if (!box) return;
      event.preventDefault();
      event.stopPropagation();

      var button = form.querySelector('button[type=submit]');
      var bar = form.querySelector('progress');
      var status = form.querySelector('[data-upload-status]');
      // `said`: the server's own words when it answered with a page of its own (too many uploads at once, the database
      // restarting, an expired form) rather than the evidence block; else the connection is the likely cause.
      var fail = (said) => {
        if (button) button.disabled = false;
        if (bar) bar.hidden = true;
        if (status) {
          status.textContent = said || form.getAttribute('data-failed') || '';
          status.classList.add('error-message');
        }
      };
      var pageMessage = (html) => {
        if (!html || !window.DOMParser) return '';
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var body = doc.querySelector('main h1 + p') || doc.querySelector('main p');
        return body ? body.textContent.replace(/\s+/g, ' ').trim() : '';
      };
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.setRequestHeader('HX-Request', 'true');
      xhr.setRequestHeader('HX-Target', `div#${box.id}`);
      xhr.upload.addEventListener('progress', (e) => {
        if (!e.lengthComputable) return;
        var percent = Math.floor((e.loaded / e.total) * 100);
        if (bar) bar.value = percent;
        if (status) status.textContent = `${status.getAttribute('data-uploading') || ''} ${percent} %`;
      });
      xhr.addEventListener('load', () => {
        // The evidence block comes back for a success and for a refusal (413, 415, 422…); anything else is a failure.
        var html = xhr.responseText || '';
        if (html.trim().indexOf(`<div id="${box.id}"`) !== 0) return fail(xhr.status >= 400 ? pageMessage(html) : '');
        var holder = document.createElement('div');
        holder.innerHTML = html.trim();
        var fresh = holder.firstElementChild;
        box.replaceWith(fresh);
        if (window.htmx) window.htmx.process(fresh);
        var focus =
          fresh.querySelector('.error-summary') ||
          fresh.querySelector('[aria-invalid="true"]') ||
          fresh.querySelector('input[type=file]');
        if (focus) focus.focus();
      });
      xhr.addEventListener('error', () => {
        fail('');
      });
      xhr.addEventListener('abort', () => {
        fail('');
      });
      xhr.addEventListener('timeout', () => {
        fail('');
      });
      if (button) button.disabled = true;
      if (status) status.classList.remove('error-message');
      if (bar) {
        bar.value = 0;
        bar.hidden = false;
      }
      xhr.send(new FormData(form));
    },
    true,
  );
})();

// On a wide screen the unit's evidence opens in a panel beside the appraisal form instead of a new tab: an iframe of
// the evidence route, whose own headers keep the file sandboxed (Content-Security-Policy: sandbox, nosniff). On a
// phone, with a modifier key, or without JavaScript the link opens the file as before.
(() => {
  if (window.cchcEvidencePanel) return;
  window.cchcEvidencePanel = true;
  var wide = window.matchMedia('(min-width: 1100px)');

  var close = (grid) => {
    var panel = grid.querySelector(':scope > .evidence-panel');
    if (panel) panel.remove();
    grid.classList.remove('with-panel');
  };

  document.addEventListener('click', (event) => {
    var link = event.target instanceof Element ? event.target.closest('a[data-evidence-panel]') : null;
    if (
      !link ||
      !wide.matches ||
      event.button !== 0 ||
      event.ctrlKey ||
      event.metaKey ||
      event.shiftKey ||
      event.altKey
    )
      return;
    var grid = link.closest('[data-panel-label]');
    if (!grid) return;
    event.preventDefault();
    close(grid);
    var panel = document.createElement('section');
    panel.className = 'evidence-panel';
    panel.setAttribute('aria-label', `${grid.getAttribute('data-panel-label')}: ${link.textContent.trim()}`);
    var bar = document.createElement('p');
    bar.className = 'panel-bar';
    var name = document.createElement('strong');
    name.textContent = link.textContent.trim();
    var tab = document.createElement('a');
    tab.href = link.href;
    tab.target = '_blank';
    tab.rel = 'noopener';
    tab.textContent = grid.getAttribute('data-panel-tab') || '';
    var shut = document.createElement('button');
    shut.type = 'button';
    shut.className = 'button secondary';
    shut.textContent = grid.getAttribute('data-panel-close') || '×';
    shut.addEventListener('click', () => {
      close(grid);
      link.focus();
    });
    bar.append(name, ' ', tab, ' ', shut);
    var frame = document.createElement('iframe');
    frame.src = link.href;
    frame.title = link.textContent.trim();
    frame.referrerPolicy = 'no-referrer';
    panel.append(bar, frame);
    grid.prepend(panel);
    grid.classList.add('with-panel');
    shut.focus();
  });
})();

// "Không áp dụng" (not applicable) on a criterion: ticking it disables and dims at once what it makes irrelevant, the
// score, the evidence-required note and the upload (the .na-off parts of its block); unticking gives them back. Without
// JavaScript the server ignores a score sent with it and the page after the save shows them disabled.
(() => {
  if (window.cchcForms) return;
  window.cchcForms = true;

  var sync = (box) => {
    var block = box.closest('.criterion');
    if (!block) return;
    block.classList.toggle('is-na', box.checked);
    for (var part of block.querySelectorAll('.na-off')) {
      for (var control of part.querySelectorAll('input, select, textarea, button')) control.disabled = box.checked;
      for (var link of part.querySelectorAll('a')) {
        if (box.checked) link.setAttribute('aria-disabled', 'true');
        else link.removeAttribute('aria-disabled');
      }
    }
  };

  document.addEventListener('change', (event) => {
    var box = event.target;
    if (box instanceof HTMLInputElement && box.hasAttribute('data-not-applicable')) sync(box);
  });
  // A link the box made irrelevant does nothing while it is ticked.
  document.addEventListener(
    'click',
    (event) => {
      var link = event.target instanceof Element ? event.target.closest('.na-off a[aria-disabled="true"]') : null;
      if (!link) return;
      event.preventDefault();
      event.stopPropagation();
    },
    true,
  );
})();

/**
 * The script a site without a form builder puts on its page: it posts any form marked
 * `data-leadrouter` (or every form, when the script tag says `data-all-forms`) to the form's
 * endpoint, with the visit's UTM tags (kept for the session, so they survive the visitor's
 * second page), the referrer, the page, the time the form was shown (the too-fast spam check)
 * (how long the form was on screen, for the too-fast spam check) and a submission id (a retry
 * makes one lead). No framework; plain ES2017 every browser runs.
 */
export function formEmbedSnippet(endpoint: string): string {
  return `/* leadrouter web form */
(function () {
  var script = document.currentScript;
  // The address the page loaded this script from is the one that reaches leadrouter (https behind a proxy).
  var endpoint = script && script.src && script.src.indexOf('/embed.js') > 0 ? script.src.slice(0, script.src.lastIndexOf('/embed.js')) : ${JSON.stringify(endpoint)};
  var allForms = script && script.hasAttribute('data-all-forms');
  var store = window.sessionStorage;
  var params = new URLSearchParams(window.location.search);
  ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'].forEach(function (key) {
    var value = params.get(key);
    try { if (value) store.setItem('lr_' + key, value); } catch (e) { /* storage off: this page's tags only */ }
  });
  try { if (!store.getItem('lr_referrer')) store.setItem('lr_referrer', document.referrer || ''); } catch (e) {}
  function remembered(key) { try { return store.getItem('lr_' + key) || params.get(key) || ''; } catch (e) { return params.get(key) || ''; } }
  // Measured by the browser's own clock at both ends, so a wrong clock cannot make a person look fast.
  var shownAt = Date.now();
  function id() { return (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2); }
  function attach(form) {
    if (form.__leadrouter) return;
    form.__leadrouter = true;
    var bait = document.createElement('input');
    bait.type = 'text'; bait.name = '_lr_hp'; bait.tabIndex = -1; bait.autocomplete = 'off';
    bait.setAttribute('aria-hidden', 'true');
    bait.style.cssText = 'position:absolute;left:-10000px;width:1px;height:1px;opacity:0';
    form.appendChild(bait);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var data = new FormData(form);
      data.set('_lr_elapsed', String(Date.now() - shownAt));
      if (!form.__leadrouterId) form.__leadrouterId = id();
      data.set('_lr_id', form.__leadrouterId);
      data.set('_lr_page', window.location.href);
      data.set('_lr_referrer', remembered('referrer'));
      ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'].forEach(function (key) {
        var value = remembered(key);
        if (value && !data.get(key)) data.set(key, value);
      });
      var button = form.querySelector('[type=submit]');
      if (button) button.disabled = true;
      fetch(endpoint, { method: 'POST', body: data, headers: { Accept: 'application/json' } })
        .then(function (res) { return res.json().then(function (body) { return { ok: res.ok, body: body }; }); })
        .then(function (answer) {
          if (!answer.ok) throw new Error(answer.body && answer.body.error ? answer.body.error.message : 'not sent');
          form.__leadrouterId = null;
          form.dispatchEvent(new CustomEvent('leadrouter:sent', { bubbles: true, detail: answer.body }));
          var next = form.getAttribute('data-thank-you') || answer.body.thankYouUrl;
          if (next) window.location.assign(next); else form.reset();
        })
        .catch(function (error) {
          form.dispatchEvent(new CustomEvent('leadrouter:failed', { bubbles: true, detail: String(error && error.message || error) }));
        })
        .then(function () { if (button) button.disabled = false; });
    });
  }
  function scan() {
    Array.prototype.forEach.call(document.querySelectorAll(allForms ? 'form' : 'form[data-leadrouter]'), attach);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', scan); else scan();
})();
`;
}
